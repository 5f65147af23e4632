namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// The broker user this process connects as (from its AMQP connection string). A publisher puts it in the
/// AMQP <c>user-id</c> property, which RabbitMQ checks against the connection's user: a consumer can then
/// trust it as who published the message.
/// </summary>
public sealed record BrokerUser(string Name)
{
    public static BrokerUser FromUri(Uri amqp) =>
        new(Uri.UnescapeDataString(amqp.UserInfo.Split(':', 2)[0]) is { Length: > 0 } name ? name : "guest");
}
