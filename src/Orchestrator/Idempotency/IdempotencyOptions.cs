namespace LogisticsSync.Orchestrator.Idempotency;

public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key and its response are kept: a client's retries must come within this window.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a duplicate waits for the first request to finish before it is answered 409.</summary>
    public TimeSpan InFlightWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long the in-flight marker lives: longer than any command takes, short enough that a replica
    /// dying mid-command does not block retries with that key for the whole retention.
    /// </summary>
    public TimeSpan InFlightLease { get; set; } = TimeSpan.FromSeconds(60);
}
