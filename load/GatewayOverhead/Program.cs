using LogisticsSync.Hosting;
using LogisticsSync.Load.GatewayOverhead;
using LogisticsSync.LoadRunner.Reports;

// What the gateway's policies cost (issue: gateway performance): the same upstream endpoint straight,
// through a bare YARP route, and through the gateway with every policy on, in interleaved rounds. See load/README.md.
switch (Environment.GetEnvironmentVariable(Servers.RoleVariable))
{
    case Servers.UpstreamRole:
        await Servers.RunUpstreamAsync();
        return 0;
    case Servers.BareProxyRole:
        await Servers.RunBareProxyAsync(Environment.GetEnvironmentVariable(ProxyPaths.UpstreamAddressVariable)!);
        return 0;
}

OverheadSettings settings;
try
{
    settings = OverheadSettings.Parse(args);
}
catch (FormatException exception)
{
    await Console.Error.WriteLineAsync($"{OverheadSettings.Usage}{Environment.NewLine}error: {exception.Message}");
    return 2;
}

await using var paths = await ProxyPaths.StartAsync(Path.Combine(Path.GetTempPath(), "gateway-overhead-services.log"), settings.GatewayEnvironment);
var loadBefore = LogisticsSync.LoadRunner.Measurement.MachineInfo.Current().LoadAverage;
var logRecordsBefore = paths.LogRecordsReceived;
var warmUpRequests = await Rounds.WarmUpAsync(paths, settings);
var (saturated, open) = await Rounds.RunAsync(paths, settings);
// The audit is exported in batches every second: give the last ones time to arrive before counting.
await Task.Delay(TimeSpan.FromSeconds(3));
var audit = new AuditCount(paths.LogRecordsReceived - logRecordsBefore,
    warmUpRequests + saturated.Where(r => r.Path.Slug == "gateway").Sum(r => r.Wrk.Requests)
    + open.Where(r => r.Path.Slug == "gateway").Sum(r => r.Total.Count + (long)settings.Rate));

var report = OverheadReport.Write(paths, saturated, open, audit, settings, loadBefore);
Console.WriteLine(report.Markdown);
var folder = Path.Combine(EstateOptions.RepositoryRoot, "load", "reports", $"gateway-overhead-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(folder);
await File.WriteAllTextAsync(Path.Combine(folder, "report.md"), report.Markdown);
// The runner's full reports of the last round; the summary above covers every round.
foreach (var run in open.Where(r => r.Round == settings.Rounds))
{
    await ReportWriter.WriteAsync(run.Result, Path.Combine(folder, run.Path.Slug));
}

Console.WriteLine($"reports: {folder}");
return report.GoalsMet ? 0 : 1;
