namespace LogisticsSync.Load.Chaos.Monitoring;

/// <summary>
/// The estate at one second of the run: each replica's state as the engine's health checks see it, and the backlog
/// and progress read from the systems of record. A null figure could not be read then (its server was down).
/// </summary>
public sealed record Sample(
    double Second,
    IReadOnlyDictionary<string, string> States,
    long? OutboxUnsent,
    long? QueueDepth,
    long? TasksDue,
    long? Shipments,
    long? Settled,
    long? Redelivered)
{
    /// <summary>Every replica Healthy (a replica is named "orchestrator#1").</summary>
    public bool AllHealthy => States.Count > 0 && States.Values.All(s => s == "Healthy");

    /// <summary>
    /// The work waiting: events not yet published, messages in <see cref="WorkQueues"/>, partner calls due; null unless all three could be
    /// read (with the broker down its queues are unknown, not empty: that must not count as drained).
    /// </summary>
    public long? Backlog => OutboxUnsent + QueueDepth + TasksDue;
}
