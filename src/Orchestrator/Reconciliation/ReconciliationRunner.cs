using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>
/// One reconciliation run: under the advisory lock, read every quiet shipment, read the partners' records in batches,
/// compare (<see cref="DriftRules"/>), heal what is safe (once per drift: a heal an earlier run made is awaited, then
/// handed to a person if it did not take), and record every finding with what was done and the exceptions it opens.
/// </summary>
internal sealed partial class ReconciliationRunner(
    NpgsqlDataSource dataSource,
    ReconciliationStore store,
    PartnerRecordReader partners,
    DriftHealer healer,
    ReconciliationMetrics metrics,
    IOptionsMonitor<ReconciliationOptions> options,
    TimeProvider time,
    ILogger<ReconciliationRunner> logger)
{
    /// <summary>The run, or null when another run (on any replica) holds the lock.</summary>
    public async Task<ReconciliationRun?> RunAsync(string trigger, CancellationToken cancellationToken)
    {
        await using var runLock = await ReconciliationLock.TryAcquireAsync(dataSource, cancellationToken);
        if (runLock is null)
        {
            LogSkipped(trigger);
            return null;
        }

        var settings = options.CurrentValue;
        var stopwatch = Stopwatch.StartNew();
        var startedAt = time.GetUtcNow();
        var runId = Guid.CreateVersion7(startedAt);
        await store.StartAsync(runId, trigger, startedAt, cancellationToken);
        try
        {
            var shipments = await ShipmentSnapshot.LoadAsync(dataSource, startedAt - settings.QuietPeriod, cancellationToken);
            var records = await partners.ReadAsync(shipments, cancellationToken);
            var byId = shipments.ToDictionary(s => s.Id);
            var findings = shipments.SelectMany(s => DriftRules.Compare(s, records)).ToList();
            var outcomes = await ActAsync(findings, byId, settings, cancellationToken);
            var run = await store.CompleteAsync(runId, outcomes, shipments.Count, records.Unavailable, time.GetUtcNow(), stopwatch.Elapsed.TotalMilliseconds, cancellationToken);
            metrics.Completed(run, outcomes);
            LogCompleted(run.Id, trigger, run.Shipments, run.Findings, run.Healed, run.Exceptions, run.DurationMs ?? 0);
            return run;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception, runId);
            await store.FailAsync(runId, time.GetUtcNow(), CancellationToken.None);
            throw;
        }
    }

    /// <summary>What to do about each finding: heal it, wait for an earlier heal, or hand it to a person.</summary>
    private async Task<IReadOnlyList<FindingOutcome>> ActAsync(
        List<Finding> findings, Dictionary<Guid, ShipmentSnapshot> shipments, ReconciliationOptions settings, CancellationToken cancellationToken)
    {
        var healedBefore = await store.HealedAsync(findings.Where(f => f.Heal != Heal.None).Select(f => f.ShipmentId), cancellationToken);
        var outcomes = new ConcurrentDictionary<int, FindingOutcome>();
        var now = time.GetUtcNow();
        var toHeal = new List<(int Index, Finding Finding)>();
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            if (finding.Heal == Heal.None)
            {
                outcomes[i] = new FindingOutcome(finding, FindingActions.Exception, $"owner {finding.OwnerTeam}: no safe heal");
            }
            else if (healedBefore.TryGetValue((finding.ShipmentId, finding.Subject), out var healedAt))
            {
                outcomes[i] = now - healedAt < settings.HealGracePeriod
                    ? new FindingOutcome(finding, FindingActions.HealPending, $"healed at {healedAt:O}; waiting for it to show")
                    : new FindingOutcome(finding, FindingActions.Exception, $"healed at {healedAt:O} and still drifting: owner {finding.OwnerTeam}");
            }
            else
            {
                toHeal.Add((i, finding));
            }
        }

        await Parallel.ForEachAsync(toHeal, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.MaxParallelRequests), CancellationToken = cancellationToken },
            async (item, token) =>
            {
                var result = await healer.HealAsync(item.Finding, shipments[item.Finding.ShipmentId], token);
                outcomes[item.Index] = new FindingOutcome(item.Finding, result.Done ? FindingActions.Healed : FindingActions.HealFailed, result.Detail);
            });
        return [.. outcomes.OrderBy(o => o.Key).Select(o => o.Value)];
    }

    [LoggerMessage(EventId = LogEventIds.ReconciliationRunCompleted, Level = LogLevel.Information, Message = "Reconciliation run {RunId} ({Trigger}): {Shipments} shipments, {Findings} findings, {Healed} healed, {Exceptions} exceptions opened in {DurationMs:0} ms")]
    private partial void LogCompleted(Guid runId, string trigger, int shipments, int findings, int healed, int exceptions, double durationMs);

    [LoggerMessage(EventId = LogEventIds.ReconciliationRunFailed, Level = LogLevel.Error, Message = "Reconciliation run {RunId} failed")]
    private partial void LogFailed(Exception exception, Guid runId);

    [LoggerMessage(EventId = LogEventIds.ReconciliationRunSkipped, Level = LogLevel.Information, Message = "Reconciliation ({Trigger}) skipped: another run holds the lock")]
    private partial void LogSkipped(string trigger);
}
