using System.ComponentModel.DataAnnotations;

namespace LogisticsSync.Simulators.Resilience;

/// <summary>
/// How a simulated partner sends to the gateway through its <see cref="SeededRetryPipeline"/> (the ERP's releases, a
/// carrier's webhooks): per-attempt timeout, retries with seeded back-off, and what happens once they all failed.
/// </summary>
public abstract class RetryingSenderOptions
{
    /// <summary>How long one attempt may take before the sender gives up on its answer and retries.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(0, 20, ErrorMessage = "{0} must be between 0 and 20.")]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's back-off; it doubles per retry, with jitter drawn from the seed and what is sent.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The pause before something whose retries all failed (gateway down) goes again, under the same key or id: never dropped.</summary>
    public TimeSpan RetryRoundDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Sends awaiting their answer at once; the rest wait their turn.</summary>
    [Range(1, 1024, ErrorMessage = "{0} must be between 1 and 1024.")]
    public int MaxInFlight { get; set; } = 16;
}
