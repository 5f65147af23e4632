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

    /// <summary>The work waiting: events not yet published, messages in queues, partner calls due; null if none could be read.</summary>
    public long? Backlog => OutboxUnsent is null && QueueDepth is null && TasksDue is null ? null : (OutboxUnsent ?? 0) + (QueueDepth ?? 0) + (TasksDue ?? 0);
}
