namespace LogisticsSync.Orchestrator.Milestones;

public sealed class MilestoneConsumerOptions
{
    public const string SectionName = "Milestones";

    /// <summary>Deliveries in flight per replica.</summary>
    public ushort Prefetch { get; set; } = 200;

    /// <summary>Transactions applying milestones at once per replica.</summary>
    public ushort Concurrency { get; set; } = 4;

    /// <summary>How long the consumer may be gone on an open connection (recovery re-registers it well within that) before the replica gives up and exits.</summary>
    public TimeSpan ConsumerLostGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most milestones one transaction applies.</summary>
    public int MaxBatch { get; set; } = 100;

    public static readonly TimeSpan[] DefaultRetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    /// <summary>
    /// Back-off of each retry, in order; after the last one the message is dead-lettered. Empty here
    /// and defaulted after binding: the configuration binder appends to a pre-filled list instead of replacing it.
    /// </summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>Deliveries in all, the first one included.</summary>
    public int MaxAttempts => RetryDelays.Count + 1;
}
