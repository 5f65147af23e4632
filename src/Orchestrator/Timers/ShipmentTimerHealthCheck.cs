using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.Timers;

/// <summary>
/// Unhealthy while this replica's timer worker completes no poll (the database gone, the worker wedged): the
/// process is alive, but no deadline fires, and a stuck shipment would raise nothing.
/// </summary>
internal sealed class ShipmentTimerHealthCheck(TimerProgress progress, IOptionsMonitor<ShipmentTimerOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Stalled(progress.LastPolled, time.GetUtcNow(), options.CurrentValue.StallThreshold) is { } problem
            ? new HealthCheckResult(context.Registration.FailureStatus, problem)
            : HealthCheckResult.Healthy("timers firing"));

    /// <summary>Why the worker counts as stalled (no completed poll for the threshold), or null.</summary>
    internal static string? Stalled(DateTimeOffset lastPolled, DateTimeOffset now, TimeSpan threshold) =>
        now - lastPolled < threshold
            ? null
            : $"timers stalled: no poll for due timers completed for {(now - lastPolled).TotalSeconds:0} s (the database unreachable?)";
}
