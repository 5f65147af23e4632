namespace LogisticsSync.ServiceDefaults.Protocol;

/// <summary>
/// The broker's names (docs/orchestrator.md, "Events and topology"). The orchestrator owns and declares them;
/// partners publish to <see cref="MilestonesExchange"/> and bind their own queues to <see cref="EventsExchange"/>.
/// </summary>
public static class BrokerTopology
{
    /// <summary>Canonical events, routed by CloudEvents type (e.g. <c>logistics.shipment.packed.v1</c>).</summary>
    public const string EventsExchange = "logistics.events";

    /// <summary>Where events no queue is bound for end up, instead of being dropped by the broker.</summary>
    public const string UnroutedExchange = "logistics.unrouted";

    public const string UnroutedQueue = "logistics.unrouted";

    /// <summary>Milestones reported by partner systems (through their adapters), routed by <see cref="MilestoneRoutingKey"/>.</summary>
    public const string MilestonesExchange = "logistics.milestones";

    /// <summary>The orchestrator replicas' shared work queue: competing consumers.</summary>
    public const string MilestonesQueue = "orchestrator.milestones";

    /// <summary>A retry queue per back-off step: a message waits out the queue's TTL, then dead-letters back to the work queue.</summary>
    public static string RetryQueue(TimeSpan delay) => $"{MilestonesQueue}.retry.{(long)delay.TotalMilliseconds}ms";

    /// <summary>How a partner routes a milestone it reports: <c>{system}.{milestone}</c>, e.g. <c>wms.picked</c>.</summary>
    public static string MilestoneRoutingKey(string system, string milestone) => $"{system}.{milestone}";
}
