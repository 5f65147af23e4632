namespace LogisticsSync.Orchestrator.CarrierWebhooks;

internal sealed class CarrierAdapterOptions
{
    public const string SectionName = "CarrierWebhooks";

    /// <summary>How often a replica looks for unprocessed webhooks when not woken by one arriving.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A webhook whose shipment is unknown, or not booked yet, is looked at again this often (with back-off)
    /// before it is rejected: a carrier's first webhook may overtake the booking it follows.
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
