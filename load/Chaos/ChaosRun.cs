using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Faults;
using LogisticsSync.Load.Chaos.Invariants;
using LogisticsSync.Load.Chaos.Monitoring;
using LogisticsSync.Load.Chaos.Reports;
using LogisticsSync.Load.Chaos.Scenarios;
using LogisticsSync.Load.Scenarios.Carriers;
using LogisticsSync.Load.Scenarios.Shipments;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Reports;
using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Chaos;

/// <summary>
/// One chaos run: the ERP releases its orders while the load runner reads (and storms webhooks) and the fault
/// timeline plays; then a bounded wait for the estate to settle, the invariants, and the report.
/// </summary>
public static class ChaosRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static string Describe(ChaosScenario scenario)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"scenario {scenario.Name}: {scenario.Traffic.Erp.Orders} ERP orders at {scenario.Traffic.Erp.OrdersPerSecond:0.##}/s");
        text.Append(CultureInfo.InvariantCulture, $", reads {scenario.Traffic.ReadsPerSecond:0.##}/s{(scenario.Traffic.Webhooks is { } w ? $", webhooks {w.PerSecond:0.##}/s ({w.Carrier})" : "")}");
        text.Append(CultureInfo.InvariantCulture, $", {scenario.Faults.Count} faults of {scenario.Faults.Select(f => f.Kind).Distinct().Count()} kinds over {scenario.TimelineLength.TotalSeconds:0} s");
        foreach (var fault in scenario.Faults)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  at {DurationText.Format(fault.At),7}  {fault.Label}{(fault.Instant ? "" : $" for {DurationText.Format(fault.Duration)}")}");
        }

        return text.ToString();
    }

    /// <returns>0 when every invariant holds and every fault could be made, 1 otherwise.</returns>
    public static async Task<int> RunAsync(ChaosScenario scenario, ChaosSettings settings, Action<string> log, CancellationToken cancellationToken)
    {
        var reportDirectory = settings.ReportDirectory
            ?? Path.Combine(EstateOptions.RepositoryRoot, "load", "reports", $"chaos-{scenario.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        log(settings.Boot ? "booting the estate (every server, two orchestrator replicas, the gateway and every simulator)…" : $"connecting to the running estate in {settings.StateDirectory}…");
        await using var estate = settings.Boot
            ? await EstateBoot.StartAsync(scenario, Path.Combine(Path.GetTempPath(), $"chaos-{scenario.Name}-estate.log"),
                scenario.Faults.Any(f => FaultKinds.IsNetwork(f.Kind)) ? ["--chaos"] : [])
            : await ChaosEstate.RunningAsync(settings.StateDirectory, cancellationToken);
        log($"target: {estate.Description}");
        var result = await PlayAsync(scenario, estate, log, cancellationToken);
        var files = await ReportWriter.WriteAsync(result, reportDirectory, CancellationToken.None);
        log(ReportWriter.Text(result));
        log($"report: {files.Html}");
        return result.Passed ? 0 : 1;
    }

    public static async Task<LoadTestResult> PlayAsync(ChaosScenario scenario, ChaosEstate estate, Action<string> log, CancellationToken cancellationToken)
    {
        using var erp = new ErpLedger(estate.Simulator(ResourceNames.Erp), estate.ServiceKey);
        using var partners = new PartnerProfiles(estate.Simulator, estate.Credential(PartnerCredentials.SimulatorAdminKey));
        await using var sampler = new EstateSampler(estate, "SO-");
        sampler.Restarted = async resource =>
        {
            if (ScenarioFile.Simulators.Contains(resource))
            {
                log($"{resource} restarted: its fault profile is put back");
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None); // its admin API answers once it listens again
                await RetryAsync(() => partners.ReapplyAsync(resource, CancellationToken.None));
            }
        };
        await erp.MarkStartAsync(cancellationToken);
        var load = LoadRuns(scenario, estate);
        foreach (var run in load.Runs.Where(r => r.Scenario.Init is not null))
        {
            await run.Scenario.Init!(cancellationToken); // seeded read targets, before the clock starts
        }

        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampling = sampler.RunAsync(clock, stopSampling.Token);
        var polling = PollLedgerAsync(erp, stopSampling.Token);
        await partners.SetBaseAsync(ResourceNames.Erp, Knob("outage", false), cancellationToken);
        log($"[{clock.Elapsed.TotalSeconds,6:0.0} s] the ERP releases {scenario.Traffic.Erp.Orders} orders");
        var releasing = estate.Booted ? Task.CompletedTask : StopErpAfterAsync(erp, partners, scenario.Traffic.Erp.Orders, cancellationToken);
        var loadRun = load.Runs.Count == 0
            ? Task.FromResult(ChaosReport.Empty(startedAt, scenario.TimelineLength))
            : LoadTest.RunAsync([.. load.Runs.Select(r => r with { Scenario = r.Scenario with { Init = null } })], new LoadTestOptions { Title = scenario.Name }, cancellationToken);
        var faults = await FaultTimeline.PlayAsync(scenario.Faults, estate, partners, clock, log, cancellationToken);
        var loadResult = await loadRun;
        await releasing;
        var timelineEnd = clock.Elapsed.TotalSeconds;
        log($"[{timelineEnd,6:0.0} s] timeline over; waiting up to {scenario.Settle.Timeout.TotalSeconds:0} s for the estate to settle");
        var (records, settled) = await SettleAsync(scenario, estate, erp, startedAt, cancellationToken);
        log($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {(settled ? "settled" : "NOT settled within the bound: the invariants are checked as things stand")}");
        var invariants = InvariantCheck.Evaluate(records);
        var counts = await ClientCounts.ReadAsync(estate, [.. records.Orders.Select(o => o.BusinessKey)], sampler.Samples, loadResult, CancellationToken.None);
        await stopSampling.CancelAsync();
        await Task.WhenAll(sampling, polling);
        if (!estate.Booted)
        {
            await partners.RestoreOriginalsAsync(CancellationToken.None);
        }

        load.Dispose();
        return ChaosReport.Build(
            new ChaosOutcome(scenario, estate.Description, faults, sampler.Samples, invariants, [counts], clock.Elapsed.TotalSeconds - timelineEnd, !settled),
            loadResult with { StartedAt = startedAt });
    }

    /// <summary>
    /// Until every invariant holds and keeps holding for the quiet period (nothing is still moving), or the bound. A
    /// run that breaks an invariant therefore waits out the whole bound: a late-settling estate gets every chance.
    /// </summary>
    private static async Task<(Records Records, bool Settled)> SettleAsync(ChaosScenario scenario, ChaosEstate estate, ErpLedger erp, DateTimeOffset startedAt,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        DateTimeOffset? holdingSince = null;
        Records? records = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                records = await SystemsOfRecord.ReadAsync(estate, erp, startedAt, cancellationToken);
                var holds = records.Orders.Count >= (estate.Booted ? scenario.Traffic.Erp.Orders : 1) && InvariantCheck.Evaluate(records).All(i => i.Holds);
                holdingSince = holds ? holdingSince ?? DateTimeOffset.UtcNow : null;
                if (holdingSince is { } since && DateTimeOffset.UtcNow - since >= scenario.Settle.Quiet)
                {
                    return (records, true);
                }
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or HttpRequestException or TaskCanceledException or JsonException)
            {
                holdingSince = null; // a system of record is not answering yet: not settled
            }

            if (deadline.Elapsed >= scenario.Settle.Timeout)
            {
                break;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return (records ?? await SystemsOfRecord.ReadAsync(estate, erp, startedAt, CancellationToken.None), false);
    }

    /// <summary>A running estate's ERP releases at its own rate: the runner lifts its outage and sets it again after the scenario's count.</summary>
    private static async Task StopErpAfterAsync(ErpLedger erp, PartnerProfiles partners, int orders, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && erp.Orders.Count < orders)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await partners.SetBaseAsync(ResourceNames.Erp, Knob("outage", true), CancellationToken.None);
    }

    private static async Task PollLedgerAsync(ErpLedger erp, CancellationToken cancellationToken)
    {
        // PollAsync swallows the errors of an ERP that is down; a cancelled poll ends the loop.
        while (!cancellationToken.IsCancellationRequested)
        {
            await erp.PollAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task RetryAsync(Func<Task> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception exception) when (attempt < 20 && exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private static Dictionary<string, JsonElement> Knob(string name, bool value) => new() { [name] = JsonSerializer.SerializeToElement(value) };

    /// <summary>Read load and the load runner's webhook storm, as the load scenarios make them (no second HTTP driver).</summary>
    private static LoadPlan LoadRuns(ChaosScenario scenario, ChaosEstate estate)
    {
        var duration = scenario.Traffic.Duration ?? scenario.TimelineLength;
        var timeout = TimeSpan.FromSeconds(5);
        var shipments = new ShipmentScenarios(estate.Gateway, estate.Credential(PartnerCredentials.ErpApiKey), estate.Credential(PartnerCredentials.PortalApiKey), timeout, retries: 2);
        var runs = new List<ScenarioRun>();
        if (scenario.Traffic.ReadsPerSecond > 0)
        {
            runs.Add(new ScenarioRun(shipments.Read(), [new ConstantRate(scenario.Traffic.ReadsPerSecond, duration)], MaxConcurrency: 64));
        }

        CarrierWebhookScenarios? webhooks = null;
        if (scenario.Traffic.Webhooks is { } storm)
        {
            var carrier = ResourceNames.CarrierPrefix + storm.Carrier;
            var settings = new CarrierWebhookSettings(storm.Carrier, estate.Credential(PartnerCredentials.CarrierApiKey(carrier)),
                estate.Credential(PartnerCredentials.CarrierWebhookSecret(carrier)), storm.DuplicateShare);
            webhooks = new CarrierWebhookScenarios(estate.Gateway, settings, timeout, retries: 2);
            runs.Add(new ScenarioRun(webhooks.Storm(), [new ConstantRate(storm.PerSecond, duration)], MaxConcurrency: 64));
        }

        return new LoadPlan(runs, shipments, webhooks);
    }

    private sealed record LoadPlan(List<ScenarioRun> Runs, ShipmentScenarios Shipments, CarrierWebhookScenarios? Webhooks) : IDisposable
    {
        public void Dispose()
        {
            Shipments.Dispose();
            Webhooks?.Dispose();
        }
    }
}
