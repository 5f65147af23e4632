using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Tracing;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.Work;

/// <summary>Runs one kind of partner task: the call, and its outcome written through <see cref="PartnerTaskStore"/>.</summary>
internal interface IPartnerTaskHandler
{
    string Kind { get; }

    Task HandleAsync(ClaimedTask task, CancellationToken cancellationToken);
}

/// <summary>
/// Claims due partner tasks on every replica and runs them side by side, renewing their leases while they run. A
/// handler that fails unexpectedly (a bug, the database gone mid-run) leaves its task leased: it is due again when the
/// lease runs out, so nothing is lost, only late. A replica that dies leaves its tasks to the others within one lease,
/// and when it comes back it frees at once what its previous run left.
/// </summary>
internal sealed partial class PartnerTaskWorker(
    PartnerTaskStore tasks,
    IEnumerable<IPartnerTaskHandler> handlers,
    PartnerTaskMetrics metrics,
    ServiceIdentity identity,
    IOptionsMonitor<PartnerWorkOptions> options,
    TimeProvider time,
    ILogger<PartnerTaskWorker> logger) : BackgroundService
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, IPartnerTaskHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sampledAt = DateTimeOffset.MinValue;
        await ReleaseLeftoversAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var current = options.CurrentValue;
            var claimed = 0;
            try
            {
                var due = current.Enabled ? await tasks.ClaimAsync(current.BatchSize, identity.InstanceId, current.Lease, stoppingToken) : [];
                claimed = due.Count;
                await RunHoldingAsync(due, current.Lease, stoppingToken);
                if (time.GetUtcNow() - sampledAt >= SampleInterval)
                {
                    metrics.Record(await tasks.SampleAsync(stoppingToken));
                    sampledAt = time.GetUtcNow();
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Never the end of the worker: a crashed background service would stop the replica.
                LogClaimFailed(exception);
            }

            // A full batch suggests more are due: look again at once.
            if (claimed < current.BatchSize)
            {
                await Task.Delay(current.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Runs the tasks, renewing their leases every third of a lease until all are done: a slow call keeps its task.</summary>
    private async Task RunHoldingAsync(IReadOnlyList<ClaimedTask> due, TimeSpan lease, CancellationToken stoppingToken)
    {
        var running = Task.WhenAll(due.Select(task => RunAsync(task, stoppingToken)));
        while (await Task.WhenAny(running, Task.Delay(lease / 3, time, stoppingToken)) != running && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await tasks.ExtendAsync(due, identity.InstanceId, lease, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Not fatal: a lease that runs out only lets another replica run the task again, fenced.
                LogRenewFailed(exception);
            }
        }

        await running;
    }

    private async Task ReleaseLeftoversAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await tasks.ReleaseLeftoversAsync(identity.InstanceId, stoppingToken) is > 0 and var released)
            {
                LogLeftoversReleased(released, identity.InstanceId);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Only a shortcut: the leftovers are due anyway when their leases run out.
            LogRenewFailed(exception);
        }
    }

    private async Task RunAsync(ClaimedTask task, CancellationToken stoppingToken)
    {
        try
        {
            if (!_handlers.TryGetValue(task.Kind, out var handler))
            {
                // A kind a newer version created: leave it leased for a replica that knows it.
                LogUnknownKind(task.Id, task.Kind);
                return;
            }

            // The call continues the trace of the change that queued it (a release, a milestone), seconds or days later.
            using var activity = EstateActivities.StartContinuing($"partner task {task.Kind}", task.Trace);
            activity?.SetTag("logistics.shipment.id", task.ShipmentId);
            await handler.HandleAsync(task, stoppingToken);
        }
        catch (LeaseLostException exception)
        {
            LogLeaseLost(exception.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogTaskFailed(exception, task.Id, task.Kind, task.ShipmentId);
        }
    }

    [LoggerMessage(EventId = LogEventIds.PartnerTaskWorkerClaimFailed, Level = LogLevel.Warning, Message = "Claiming partner tasks failed; trying again")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(EventId = LogEventIds.PartnerTaskWorkerRenewFailed, Level = LogLevel.Warning, Message = "Renewing or releasing partner task leases failed; they run out unless renewed later")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(EventId = LogEventIds.PartnerTaskWorkerLeftoversReleased, Level = LogLevel.Information, Message = "{Count} partner task(s) left leased by an earlier run of {InstanceId} are due again now")]
    private partial void LogLeftoversReleased(int count, string instanceId);

    [LoggerMessage(EventId = LogEventIds.PartnerTaskWorkerUnknownKind, Level = LogLevel.Warning, Message = "Partner task {TaskId} has unknown kind {Kind}; left for a replica that knows it")]
    private partial void LogUnknownKind(long taskId, string kind);

    [LoggerMessage(EventId = LogEventIds.PartnerTaskWorkerLeaseLost, Level = LogLevel.Information, Message = "{Message}")]
    private partial void LogLeaseLost(string message);

    [LoggerMessage(EventId = LogEventIds.PartnerTaskWorkerTaskFailed, Level = LogLevel.Error, Message = "Partner task {TaskId} ({Kind}) of shipment {ShipmentId} failed; due again when its lease runs out")]
    private partial void LogTaskFailed(Exception exception, long taskId, string kind, Guid shipmentId);
}
