namespace LogisticsSync.Hosting.Runtime;

public enum ResourceState
{
    NotStarted,
    /// <summary>Waiting for the resources it depends on to be healthy.</summary>
    Waiting,
    Starting,
    /// <summary>The process runs; its health check has not passed yet (or it has none).</summary>
    Running,
    Healthy,
    /// <summary>It was healthy and its health check now fails.</summary>
    Unhealthy,
    /// <summary>It exited unexpectedly and will be started again after a back-off.</summary>
    Restarting,
    Stopping,
    Exited,
    FailedToStart,
}

public sealed record HealthProbeResult(bool IsHealthy, string Description)
{
    public static HealthProbeResult Healthy(string description = "ok") => new(true, description);

    public static HealthProbeResult Unhealthy(string description) => new(false, description);
}
