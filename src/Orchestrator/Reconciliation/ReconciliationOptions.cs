namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>Options of the section <c>Reconciliation</c>: how often it runs, what it leaves alone, how it batches.</summary>
internal sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>Time between scheduled runs (one replica at a time); zero or less: no scheduled runs, on-demand only.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A shipment changed within this is not compared: its partners may be a message ahead of it (a confirmation in
    /// the broker, a webhook in flight), which is no drift.
    /// </summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A drift healed by an earlier run is not healed again: within this it is "heal pending" (the heal's effect is on its
    /// way); after it, the heal did not take and a person must look (a ReconciliationDrift exception).
    /// </summary>
    public TimeSpan HealGracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Records asked of a partner per request.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Partner requests in flight at once, over all partners.</summary>
    public int MaxParallelRequests { get; set; } = 4;
}
