namespace LogisticsSync.Orchestrator.Outbox;

/// <summary>Section <c>Recovery</c>: when an outbox that is not draining makes the orchestrator Unhealthy.</summary>
public sealed class OutboxHealthOptions
{
    public const string SectionName = "Recovery";

    /// <summary>
    /// Unsent rows older than this while this replica has published nothing for as long: the dispatcher is alive but
    /// stuck (broker refusing, confirms lost, database gone). A long backlog that is draining stays Healthy.
    /// </summary>
    public TimeSpan OutboxStuckThreshold { get; set; } = TimeSpan.FromSeconds(30);
}
