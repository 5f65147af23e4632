namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// Section <c>Recovery</c>: how long a service may sit on work it cannot move through the broker before its
/// health says so, and how long it waits for a broker confirm before giving a channel up.
/// </summary>
public sealed class BrokerProgressOptions
{
    public const string SectionName = "Recovery";

    /// <summary>
    /// A publisher confirm not back within this time: the publish is cancelled and its channel replaced. After a
    /// broker restart a confirm can be lost for good (the client does not always fail it), so waiting without end
    /// would stop the publisher for good.
    /// </summary>
    public TimeSpan PublishConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Publishes failing (or one hanging) for this long make the service Unhealthy.</summary>
    public TimeSpan PublishStallThreshold { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A queue with messages ready, a consumer with room for them, and no delivery for this long: the consumer is
    /// registered in name only (cancelled, on a dead channel, or never recovered), and the service is Unhealthy.
    /// </summary>
    public TimeSpan ConsumerStallThreshold { get; set; } = TimeSpan.FromSeconds(15);
}
