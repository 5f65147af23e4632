using System.Text.RegularExpressions;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Reports;
using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.LoadRunner.Tests.Measurement;
using LogisticsSync.LoadRunner.Thresholds;

namespace LogisticsSync.LoadRunner.Tests.Reports;

public sealed partial class ReportWriterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "loadrunner-report-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task WriteAsync_TwoScenarioRun_EveryFileWithTheSameFigures()
    {
        var result = await SampleRunAsync();

        var files = await ReportWriter.WriteAsync(result, _folder);

        Assert.All(files.All, file => Assert.True(new FileInfo(file).Length > 0, file));
        var html = await File.ReadAllTextAsync(files.Html);
        var markdown = await File.ReadAllTextAsync(files.Markdown);
        var text = await File.ReadAllTextAsync(files.Text);
        foreach (var report in new[] { html, markdown, text })
        {
            Assert.Contains("p99.9", report, StringComparison.Ordinal);
            Assert.Contains("release", report, StringComparison.Ordinal);
            Assert.Contains("503", report, StringComparison.Ordinal); // status codes
            Assert.Contains("KiB", report, StringComparison.Ordinal); // data transfer
            Assert.Contains("cores", report, StringComparison.Ordinal); // machine
            Assert.Contains("rate 100/s for 4 s", report, StringComparison.Ordinal); // load settings
            Assert.Contains("pgbench", report, StringComparison.Ordinal); // a caller's section
            Assert.Contains("BREACHED", report, StringComparison.Ordinal);
        }

        Assert.Contains("FAILED", html, StringComparison.Ordinal);
        Assert.Equal(4 * 2, SvgCount().Matches(html).Count); // 4 charts per scenario
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html); // opens offline: nothing fetched
        Assert.Contains("| release |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Csv_OneRowPerStepAndOnePerSecond()
    {
        var result = await SampleRunAsync();

        var files = await ReportWriter.WriteAsync(result, _folder);

        var summary = await File.ReadAllLinesAsync(files.Csv);
        Assert.StartsWith("scenario,step,requests,ok,failed,fail_rate,requests_per_second,latency_mean_ms,latency_p50_ms", summary[0], StringComparison.Ordinal);
        Assert.Equal(1 + 1 + 3, summary.Length); // header, release, read (all steps, find, timeline)
        Assert.StartsWith("release,release,400,", summary[1], StringComparison.Ordinal);
        var timeline = await File.ReadAllLinesAsync(files.TimelineCsv);
        Assert.Equal(1 + result.Scenarios.Sum(s => s.Timeline.Count), timeline.Length);
        Assert.Equal(4, result.Scenarios[0].Timeline.Count);
    }

    [Fact]
    public void NiceCeiling_AnyValue_OneTwoOrFiveTimesAPowerOfTen()
    {
        Assert.Equal(1, SvgChart.NiceCeiling(0.7), 9);
        Assert.Equal(2, SvgChart.NiceCeiling(1.2), 9);
        Assert.Equal(500, SvgChart.NiceCeiling(301), 9);
        Assert.Equal(1000, SvgChart.NiceCeiling(1000), 9);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<LoadTestResult> SampleRunAsync()
    {
        var clock = new ManualClock();
        var options = new LoadTestOptions
        {
            Title = "sample",
            Clock = clock,
            Percentiles = [50, 90, 99, 99.9],
            Thresholds = [Threshold.Parse("fail rate < 1%"), Threshold.Parse("p99 < 1s")],
        };
        options.Sections.Add(new ReportSection("Baselines", null, ["tool", "figure"], [["pgbench", "5,000 TPS"]]));
        Task<StepResult> Request(string status, TimeSpan takes, long received)
        {
            clock.Advance(takes);
            return Task.FromResult(new StepResult(status.StartsWith('2'), status, 400, received));
        }

        return await LoadTest.RunAsync(
        [
            new ScenarioRun(new Scenario("release", c => Request(c.Iteration % 20 == 0 ? "503" : "201", TimeSpan.FromMilliseconds(2), 700)), [new ConstantRate(100, TimeSpan.FromSeconds(4))], 1),
            new ScenarioRun(new Scenario("read", [new Step("find", _ => Request("200", TimeSpan.FromMilliseconds(1), 900)), new Step("timeline", _ => Request("200", TimeSpan.FromMilliseconds(1), 2000))]),
                [new ConstantRate(20, TimeSpan.FromSeconds(2))], 1),
        ], options);
    }

    [GeneratedRegex("<svg")]
    private static partial Regex SvgCount();

    [GeneratedRegex(@"(src|href)\s*=\s*""(https?:)?//")]
    private static partial Regex ExternalReference();
}
