namespace LogisticsSync.Orchestrator.WorkflowLatency;

/// <summary>Bounds on the workflow-latency report, which aggregates the event trail: it must never load the database unboundedly.</summary>
public sealed class WorkflowLatencyOptions
{
    public const string SectionName = "WorkflowLatency";

    /// <summary>How far back <c>since</c> may reach: a longer window is refused (400), not aggregated.</summary>
    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>PostgreSQL cancels the report's query after this long (503 with a problem asking for a narrower window).</summary>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
