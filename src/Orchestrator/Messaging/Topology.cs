using RabbitMQ.Client;

namespace LogisticsSync.Orchestrator.Messaging;

/// <summary>
/// The broker topology the orchestrator owns, declared idempotently at start-up (declaring what
/// exists with the same arguments is a no-op, so every replica may do it).
/// </summary>
public static class Topology
{
    /// <summary>Canonical events, routed by CloudEvents type (e.g. <c>logistics.shipment.packed.v1</c>).</summary>
    public const string EventsExchange = "logistics.events";

    /// <summary>Where events no queue is bound for end up, instead of being dropped by the broker.</summary>
    public const string UnroutedExchange = "logistics.unrouted";
    public const string UnroutedQueue = "logistics.unrouted";

    /// <summary>Milestones reported by partner systems (through their adapters), routed by <c>{source}.{milestone}</c>.</summary>
    public const string MilestonesExchange = "logistics.milestones";

    /// <summary>The orchestrator replicas' shared work queue: competing consumers.</summary>
    public const string MilestonesQueue = "orchestrator.milestones";

    /// <summary>A retry queue per back-off step: a message waits out the queue's TTL, then dead-letters back to the work queue.</summary>
    public static string RetryQueue(TimeSpan delay) => $"{MilestonesQueue}.retry.{(long)delay.TotalMilliseconds}ms";

    public static async Task DeclareAsync(IConnection connection, IReadOnlyList<TimeSpan> retryDelays, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(UnroutedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(UnroutedQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(UnroutedQueue, UnroutedExchange, routingKey: "", cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(
            EventsExchange, ExchangeType.Topic, durable: true, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["alternate-exchange"] = UnroutedExchange },
            cancellationToken: cancellationToken);

        await channel.ExchangeDeclareAsync(MilestonesExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(MilestonesQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(MilestonesQueue, MilestonesExchange, routingKey: "#", cancellationToken: cancellationToken);
        foreach (var delay in retryDelays)
        {
            // Named after its delay: a queue's TTL cannot change once declared, a new delay is a new queue.
            await channel.QueueDeclareAsync(RetryQueue(delay), durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = MilestonesQueue,
                },
                cancellationToken: cancellationToken);
        }
    }
}
