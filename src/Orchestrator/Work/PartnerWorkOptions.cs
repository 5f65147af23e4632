namespace LogisticsSync.Orchestrator.Work;

internal sealed class PartnerWorkOptions
{
    public const string SectionName = "PartnerWork";

    /// <summary>
    /// Off, the orchestrator calls no partner: tasks are still created (and wait, visible in the queue gauges) but
    /// nothing claims them. For estates where TMS and carriers report by events alone, as some tests play them.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a replica looks for due tasks when none were due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Tasks one replica claims at once, and runs side by side.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>
    /// A claimed task is due again after this unless its replica renews the lease (every third of it, while the call
    /// runs): so a replica killed mid-call hands its work over within this, while a slow call keeps its task. It was a
    /// fixed 2 min once, which left a killed replica's shipments stalled, without an exception, for 2 min.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry's delay; it doubles per failed attempt up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A goods issue or invoice that could not be posted for this long opens a posting-delayed exception.</summary>
    public TimeSpan PostingDelayedAfter { get; set; } = TimeSpan.FromMinutes(15);
}
