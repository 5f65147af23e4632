using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>
/// Runs reconciliation every <see cref="ReconciliationOptions.Interval"/> on every replica's clock; the advisory lock lets
/// one of them run it and the others skip. Health says when runs keep failing: the service is alive, but drift would go
/// unnoticed.
/// </summary>
internal sealed class ReconciliationScheduler(
    ReconciliationRunner runner,
    IOptionsMonitor<ReconciliationOptions> options,
    TimeProvider time) : BackgroundService, IHealthCheck
{
    private const int FailuresBeforeDegraded = 3;
    private int _consecutiveFailures;
    private string? _lastFailure;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = options.CurrentValue.Interval;
            if (interval <= TimeSpan.Zero)
            {
                // Scheduling off: look again later, the interval may be changed at run time.
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await runner.RunAsync(RunTriggers.Scheduled, stoppingToken);
                Interlocked.Exchange(ref _consecutiveFailures, 0);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Logged by the runner; counted here for health.
                _lastFailure = exception.Message;
                Interlocked.Increment(ref _consecutiveFailures);
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Volatile.Read(ref _consecutiveFailures) >= FailuresBeforeDegraded
            ? HealthCheckResult.Degraded($"the last {_consecutiveFailures} scheduled reconciliation runs failed: {_lastFailure}")
            : HealthCheckResult.Healthy());
}
