using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.LoadRunner.Tests.Measurement;
using LogisticsSync.LoadRunner.Thresholds;

namespace LogisticsSync.LoadRunner.Tests.Thresholds;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData("p99 < 50ms", null, ThresholdMetricKind.Latency, "<", 50)]
    [InlineData("release: p99.9 <= 0.2s", "release", ThresholdMetricKind.Latency, "<=", 200)]
    [InlineData("service p50 < 800us", null, ThresholdMetricKind.ServiceTime, "<", 0.8)]
    [InlineData("fail rate < 0.1%", null, ThresholdMetricKind.FailRate, "<", 0.001)]
    [InlineData("status 5xx share < 1%", null, ThresholdMetricKind.StatusShare, "<", 0.01)]
    [InlineData("rps >= 90", null, ThresholdMetricKind.RequestsPerSecond, ">=", 90)]
    [InlineData("dropped < 1%", null, ThresholdMetricKind.DroppedShare, "<", 0.01)]
    [InlineData("dropped <= 5", null, ThresholdMetricKind.DroppedCount, "<=", 5)]
    [InlineData("max < 1s", null, ThresholdMetricKind.Max, "<", 1000)]
    public void Parse_EachMetric_ReadsScenarioMetricAndLimit(string text, string? scenario, ThresholdMetricKind kind, string comparison, double limit)
    {
        var threshold = Threshold.Parse(text);

        Assert.Equal(scenario, threshold.Scenario);
        Assert.Equal(kind, threshold.Metric.Kind);
        Assert.Equal(comparison, threshold.Comparison);
        Assert.Equal(limit, threshold.Limit, tolerance: 1e-12);
        Assert.False(threshold.AbortOnBreach);
    }

    [Fact]
    public void Parse_TrailingAbort_AbortsOnBreach() => Assert.True(Threshold.Parse("fail rate < 1% abort").AbortOnBreach);

    [Theory]
    [InlineData("p99 < 50")]
    [InlineData("fail rate < 5ms")]
    [InlineData("p100 < 5ms")]
    [InlineData("latency is fine")]
    [InlineData("rps > 5%")]
    public void Parse_Nonsense_FormatExceptionWithSyntax(string text) =>
        Assert.Contains("threshold", Assert.Throws<FormatException>(() => Threshold.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Evaluate_SummaryWithFailuresAndSlowTail_EachComparisonAsExpected()
    {
        var result = Result(ok: 990, fail: 10, p99: 40, statusCodes: new() { ["201"] = 990, ["503"] = 10 });

        Assert.True(Threshold.Parse("p99 < 50ms").Evaluate(result).Passed);
        Assert.False(Threshold.Parse("p99 < 40ms").Evaluate(result).Passed);
        Assert.True(Threshold.Parse("p99 <= 40ms").Evaluate(result).Passed);
        Assert.False(Threshold.Parse("fail rate < 0.1%").Evaluate(result).Passed);
        Assert.Equal("1%", Threshold.Parse("fail rate < 0.1%").Evaluate(result).Actual);
        Assert.True(Threshold.Parse("status 201 share > 98%").Evaluate(result).Passed);
        Assert.True(Threshold.Parse("status 5xx share <= 1%").Evaluate(result).Passed);
        Assert.False(Threshold.Parse("status 2xx share > 99.5%").Evaluate(result).Passed);
        Assert.True(Threshold.Parse("rps > 99").Evaluate(result).Passed);
    }

    [Fact]
    public void AppliesTo_PrefixedScenario_OnlyThatOne()
    {
        Assert.True(Threshold.Parse("Release: p99 < 5ms").AppliesTo("release"));
        Assert.False(Threshold.Parse("release: p99 < 5ms").AppliesTo("read"));
        Assert.True(Threshold.Parse("p99 < 5ms").AppliesTo("read"));
    }

    [Fact]
    public async Task RunAsync_AbortingThresholdBreachedLive_StopsEarlyAndFails()
    {
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("failing", async context =>
            {
                await Task.Delay(1, context.CancellationToken);
                return StepResult.Fail("500");
            }), [new ConstantRate(200, TimeSpan.FromSeconds(20))])],
            new LoadTestOptions { Thresholds = [Threshold.Parse("fail rate < 1% abort"), Threshold.Parse("p99 < 10s")], LiveInterval = TimeSpan.FromMilliseconds(100) });

        Assert.False(result.Passed);
        Assert.Contains("fail rate < 1% abort", result.AbortReason, StringComparison.Ordinal);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10), $"ran {result.Duration}");
        Assert.Contains(result.Thresholds, t => !t.Passed && t.AbortedRun);
        Assert.Contains(result.Thresholds, t => t.Passed && t.Threshold == "p99 < 10s");
    }

    [Fact]
    public async Task RunAsync_ThresholdPercentileNotInReport_StillComputed()
    {
        var clock = new ManualClock();
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("quick", _ =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(3));
                return Task.FromResult(StepResult.Ok("200"));
            }), [new ConstantRate(50, TimeSpan.FromSeconds(2))], MaxConcurrency: 1)],
            new LoadTestOptions { Clock = clock, Percentiles = [50], Thresholds = [Threshold.Parse("p97.5 < 5ms")] });

        Assert.True(Assert.Single(result.Thresholds).Passed);
    }

    private static ScenarioResult Result(long ok, long fail, double p99, Dictionary<string, long> statusCodes)
    {
        var latency = new LatencySummary(10, 1, 100, 5, [new PercentileValue(50, 5), new PercentileValue(99, p99)]);
        var total = new RequestSummary("release", ok, fail, (ok + fail) / 10.0, latency, latency, statusCodes, 0, 0);
        return new ScenarioResult("release", "open", ["rate 100/s for 10 s"], 10, ok + fail, total, [total],
            new StartSummary(ok + fail, 0, 0, 0, 0, TimeSpan.FromMilliseconds(10), latency), [], [], []);
    }
}
