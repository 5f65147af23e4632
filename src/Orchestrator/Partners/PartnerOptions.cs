namespace LogisticsSync.Orchestrator.Partners;

/// <summary>One partner's client: where it is and how patiently it is called (section <c>Partners:{name}</c>).</summary>
internal sealed class PartnerOptions
{
    public const string SectionName = "Partners";

    /// <summary>Resolved by service discovery (<c>services__{name}__http__0</c>) unless configured otherwise.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>One attempt; a slow partner is a failed attempt, retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>All attempts together: a call never holds a task longer than this.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Quick retries inside one call; longer outages are the work table's (its back-off survives restarts).</summary>
    public int Retries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The circuit opens when this share of calls failed within <see cref="SamplingDuration"/> (with at least <see cref="MinimumThroughput"/> calls).</summary>
    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 6;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While open, calls fail at once without reaching the partner; then one trial call decides.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(10);
}
