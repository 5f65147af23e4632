using LogisticsSync.Hosting.Testing;
using LogisticsSync.Load.Scenarios.Shipments;
using LogisticsSync.LoadRunner.Reports;
using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.LoadRunner.Thresholds;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.LoadRunner.Tests.Smoke;

/// <summary>A few seconds of the estate's scenarios through the gateway of a booted estate: the runner works end to end.</summary>
public sealed class EstateSmokeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _reportFolder = Path.Combine(Path.GetTempPath(), "loadrunner-smoke-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task OpenModel_ReleaseAndReadThroughTheGateway_RequestsSucceedAndReportWritten()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", "1");
        builder.KeepOnly(ResourceNames.Gateway, ResourceNames.Orchestrator);
        await using var estate = await builder.StartHealthyAsync(output.WriteLine);
        using var logs = estate.StreamLogsTo(output.WriteLine);
        // The keys the estate generated for its state folder, as a user's run against ./run.sh takes them.
        using var shipments = new ShipmentScenarios(estate.GetEndpoint(ResourceNames.Gateway), estate.GetParameterValue(PartnerCredentials.ErpApiKey),
            estate.GetParameterValue(PartnerCredentials.PortalApiKey), TimeSpan.FromSeconds(10), retries: 2);

        var result = await LoadTest.RunAsync(
        [
            new ScenarioRun(shipments.Release(), [new ConstantRate(20, TimeSpan.FromSeconds(3))]),
            new ScenarioRun(shipments.Read(shipments: 10), [new ConstantRate(10, TimeSpan.FromSeconds(3))]),
        ], new LoadTestOptions { WarmUp = TimeSpan.FromSeconds(1), Thresholds = [Threshold.Parse("fail rate < 1%")] });
        var files = await ReportWriter.WriteAsync(result, _reportFolder);

        output.WriteLine(ReportWriter.Text(result));
        Assert.All(files.All, file => Assert.True(new FileInfo(file).Length > 0, file));
        var release = result.Scenarios.Single(s => s.Name == "release");
        var read = result.Scenarios.Single(s => s.Name == "read");
        Assert.Equal(60, release.PlannedStarts);
        Assert.Equal(release.PlannedStarts, release.Total.Ok + release.Starts.Dropped);
        Assert.True(release.Total.Ok > 0);
        Assert.Equal(["201"], release.Total.StatusCodes.Keys);
        Assert.Equal(["200"], read.Total.StatusCodes.Keys);
        Assert.Equal(0, read.Total.Fail);
        Assert.True(result.Passed, string.Join("; ", result.Thresholds.Select(t => $"{t.Scenario}: {t.Threshold} = {t.Actual}")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_reportFolder))
        {
            Directory.Delete(_reportFolder, recursive: true);
        }
    }
}
