namespace LogisticsSync.Orchestrator.Outbox;

public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    public int BatchSize { get; set; } = 200;

    /// <summary>How often to look for rows other replicas (or a crash) left, when nothing signals.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to let more rows arrive after a wake-up before claiming a batch.</summary>
    public TimeSpan Coalescing { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a batch may wait for its confirms before it is rolled back and its channel replaced: a blocked broker
    /// never sends them, and after a broker restart a confirm can be lost for good (rabbitmq-dotnet-client#1930).
    /// </summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
