using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.Timers;

/// <summary>
/// Fires due shipment timers on every replica, on the injected clock: each batch is one unit of work that claims the
/// timers with their shipments (SKIP LOCKED), opens the exception each breach means and marks the timers fired. The
/// rows are the timers, so a restart or a killed replica loses none; a rolled-back batch fires again, and the open
/// exception's unique index and the fired mark make a breach open one exception however often it is looked at.
/// </summary>
internal sealed partial class ShipmentTimerWorker(
    ShipmentTransactions transactions,
    ExceptionRecords exceptions,
    TimerProgress progress,
    IOptionsMonitor<ShipmentTimerOptions> options,
    TimeProvider time,
    ILogger<ShipmentTimerWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var current = options.CurrentValue;
            var fired = 0;
            try
            {
                fired = await FireDueAsync(current.BatchSize, stoppingToken);
                progress.Polled();
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Never the end of the worker; the health check tells that no poll completes.
                LogFiringFailed(exception);
            }

            // A full batch suggests more are due: look again at once.
            if (fired < current.BatchSize)
            {
                await Task.Delay(current.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Fires one batch of due timers; returns how many were claimed.</summary>
    internal Task<int> FireDueAsync(int batchSize, CancellationToken cancellationToken) =>
        transactions.RunAsync(async unit =>
        {
            var now = time.GetUtcNow();
            var due = await ShipmentTimerStore.ClaimDueAsync(unit.Transaction, batchSize, now, cancellationToken);
            if (due.Count == 0)
            {
                return 0;
            }

            foreach (var timer in due)
            {
                if (TimerBreach.Of(timer) is { } breach
                    && await unit.OpenExceptionAsync(exceptions.Open(timer.ShipmentId, timer.BusinessKey, breach.Type, breach.Detail, breach.OwnerTeam), breach.Type, cancellationToken))
                {
                    LogBreach(timer.BusinessKey, breach.Type.Name, breach.OwnerTeam, breach.Detail);
                }
            }

            await unit.ExecuteAsync(ShipmentTimerStore.MarkFired(due, now), cancellationToken);
            return due.Count;
        }, cancellationToken);

    [LoggerMessage(EventId = LogEventIds.ShipmentTimerWorkerBreach, Level = LogLevel.Warning, Message = "{BusinessKey}: {Type} opened for {OwnerTeam}: {Detail}")]
    private partial void LogBreach(string businessKey, string type, string ownerTeam, string detail);

    [LoggerMessage(EventId = LogEventIds.ShipmentTimerWorkerFiringFailed, Level = LogLevel.Warning, Message = "Firing due shipment timers failed; trying again")]
    private partial void LogFiringFailed(Exception exception);
}
