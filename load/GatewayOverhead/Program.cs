using LogisticsSync.AppHost.Hosting;
using LogisticsSync.Load.GatewayOverhead;
using LogisticsSync.LoadRunner.Baselines;
using LogisticsSync.LoadRunner.Reports;
using LogisticsSync.LoadRunner.Running;

// What the gateway's policies cost (issue: gateway performance): the same upstream endpoint straight,
// through a bare YARP route, and through the gateway with every policy on, in one run. See load/README.md.
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
var comparison = new List<PathFigures>();
foreach (var path in paths.All)
{
    Console.WriteLine($"{path.Name}: saturating with wrk ({settings.Connections} connections, {settings.Seconds} s)…");
    var saturated = await Wrk.SaturateAsync(path.Url, path.Headers, settings.Connections, threads: 2, TimeSpan.FromSeconds(settings.Seconds));
    Console.WriteLine($"{path.Name}: {saturated.RequestsPerSecond:0} req/s; open model at {settings.Rate:0}/s for {settings.Seconds} s…");
    var open = await OpenModel.RunAsync(path, settings.Rate, TimeSpan.FromSeconds(settings.Seconds), TimeSpan.FromSeconds(settings.WarmUpSeconds));
    comparison.Add(new PathFigures(path, saturated, open));
}

var report = OverheadReport.Write(comparison, settings);
Console.WriteLine(report.Markdown);
var folder = Path.Combine(EstateOptions.RepositoryRoot, "load", "reports", $"gateway-overhead-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
Directory.CreateDirectory(folder);
await File.WriteAllTextAsync(Path.Combine(folder, "report.md"), report.Markdown);
foreach (var figures in comparison)
{
    await ReportWriter.WriteAsync(figures.Open, Path.Combine(folder, figures.Path.Slug));
}

Console.WriteLine($"reports: {folder}");
return report.GoalsMet ? 0 : 1;
