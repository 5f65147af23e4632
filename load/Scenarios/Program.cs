using LogisticsSync.Hosting;
using LogisticsSync.Load.Scenarios.Carriers;
using LogisticsSync.Load.Scenarios.CommandLine;
using LogisticsSync.Load.Scenarios.CrossCheck;
using LogisticsSync.Load.Scenarios.Estate;
using LogisticsSync.Load.Scenarios.Partners;
using LogisticsSync.Load.Scenarios.Shipments;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Progress;
using LogisticsSync.LoadRunner.Reports;
using LogisticsSync.LoadRunner.Running;

// The estate's load scenarios through the gateway, with thresholds, baselines and a report (load/README.md).
RunSettings? settings;
try
{
    settings = RunSettings.Parse(args);
}
catch (FormatException exception)
{
    await Console.Error.WriteLineAsync($"{RunSettings.Usage}{Environment.NewLine}error: {exception.Message}");
    return 2;
}

if (settings is null)
{
    Console.WriteLine(RunSettings.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop the load, still write the report and stop a booted estate
    cancel.Cancel();
};

var reportDirectory = settings.ReportDirectory ?? Path.Combine(EstateOptions.RepositoryRoot, "load", "reports", $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
if (settings.Boot)
{
    Console.WriteLine($"booting the gateway, {settings.Replicas} orchestrator replicas and their servers{(settings.DayInTheLife ? ", the ERP and WMS simulators" : "")}…");
}

TargetEstate target;
try
{
    target = settings.Boot
        ? await TargetEstate.BootAsync(settings.Replicas, Path.Combine(Path.GetTempPath(), "loadrunner-estate.log"), settings.DayInTheLife ? settings.ErpOrdersPerSecond : null)
        : await RunningAsync(settings, cancel.Token);
}
catch (FormatException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}");
    return 2;
}

await using var estate = target;
PartnerKeys keys;
try
{
    keys = await PartnerKeys.ResolveAsync(settings, estate.ParameterAsync, cancel.Token);
}
catch (FormatException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}");
    return 2;
}

var runStarted = DateTimeOffset.UtcNow;
Console.WriteLine($"target: {estate.Description}");
var baselines = settings.Baselines ? await Baselines.MeasureAsync(estate, settings.BaselineSeconds, cancel.Token) : null;

using var shipments = new ShipmentScenarios(estate.Gateway, keys.Release, keys.Read, settings.RequestTimeout, settings.Retries);
using var webhooks = new CarrierWebhookScenarios(estate.Gateway, settings.CarrierWebhooks(keys), settings.RequestTimeout, settings.Retries);
var runs = settings.Scenarios.Select(name => new ScenarioRun(
    name switch { "release" => shipments.Release(), "read" => shipments.Read(), _ => webhooks.Storm() }, settings.LoadOf(name), settings.MaxConcurrency)).ToList();
var options = new LoadTestOptions
{
    Title = $"LogisticsSync load: {(settings.DayInTheLife ? $"day in the life (ERP at {settings.ErpOrdersPerSecond:0.##}/s) with " : "")}{string.Join(", ", settings.Scenarios)} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC",
    WarmUp = settings.WarmUp,
    Percentiles = settings.Percentiles,
    Thresholds = settings.Thresholds,
};
// The ERP booted in an outage so that nothing was released during boot; its releases start now, alongside the run.
if (estate.PartnerDay is { } partnerDay)
{
    await partnerDay.StartAsync(cancel.Token);
}

var result = await ConsoleProgress.RunAsync(runs, options, cancel.Token);

List<ReportSection> sections = [new("Target", null, ["property", "value"], [["estate", estate.Description], ["gateway", estate.Gateway.ToString()]])];
if (estate.PartnerDay is { } endingDay)
{
    // CancellationToken.None: after Ctrl+C the ERP must still be stopped and counted for the report.
    sections.Add(await endingDay.EndAsync(CancellationToken.None));
}

// The orchestrator's per-stage latency of what was released during the run, next to the client's figures.
sections.Add(await WorkflowLatencySection.ReadAsync(estate.Gateway, keys.Operations, runStarted, CancellationToken.None));
if (settings.Scenarios.Contains("release"))
{
    sections.Add(shipments.ClientSection());
}

if (settings.Scenarios.Contains("webhooks"))
{
    sections.Add(webhooks.ClientSection());
}

if (baselines is not null)
{
    ReportSection? crossCheck = null;
    if (!cancel.IsCancellationRequested)
    {
        Console.WriteLine($"cross-check: the runner and wrk in turn at {settings.WrkRate:0}/s, {settings.BaselineSeconds} s each…");
        var path = await shipments.ReadablePathAsync(cancel.Token);
        crossCheck = await Baselines.OrNullAsync(() => WrkCrossCheck.RunAsync(estate.Gateway, path, keys.Read, settings.WrkRate,
            TimeSpan.FromSeconds(settings.BaselineSeconds), cancel.Token), baselines.Rows, "wrk cross-check");
    }

    sections.Add(Baselines.Section(baselines, result));
    sections.AddRange(crossCheck is null ? [] : [crossCheck]);
}

result = result with { Sections = [.. result.Sections, .. sections] };
var files = await ReportWriter.WriteAsync(result, reportDirectory);
Console.WriteLine(ReportWriter.Text(result));
Console.WriteLine($"report: {files.Html}");
return result.Passed ? 0 : 1;

static async Task<TargetEstate> RunningAsync(RunSettings settings, CancellationToken cancellationToken)
{
    var needsDiscovery = (settings.Baselines && (settings.Postgres is null || settings.Redis is null))
        || settings.DayInTheLife;
    var discovered = needsDiscovery ? await RunningEstateServers.DiscoverAsync(settings.EstateState, cancellationToken) : RunningEstateServers.Unknown;
    var postgres = settings.Postgres ?? discovered.Postgres;
    SimulatedPartnerDay? partnerDay = null;
    if (settings.DayInTheLife)
    {
        var erp = settings.Erp ?? discovered.Erp;
        var wms = settings.Wms ?? discovered.Wms;
        if (erp is null || wms is null || postgres is null || discovered.SimulatorAdminKey is not { } adminKey)
        {
            throw new FormatException(
                "day against a running estate needs its ERP and WMS simulators and its database: start it with ./run.sh (its control file is read " +
                $"from {settings.EstateState}, see --estate-state) or give --erp URL, --wms URL and --postgres CONN");
        }

        partnerDay = new SimulatedPartnerDay(erp, wms, postgres, ordersPerSecond: null, adminKey);
    }

    return TargetEstate.Running(settings.Url, settings.EstateState, postgres, settings.Redis ?? discovered.Redis, partnerDay);
}
