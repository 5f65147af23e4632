namespace LogisticsSync.Orchestrator;

/// <summary>The orchestrator's meter, exported with the service's other metrics.</summary>
internal static class OrchestratorMetrics
{
    public const string MeterName = "LogisticsSync.Orchestrator";
}
