using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.LoadRunner.Tests.Measurement;

public sealed class CoordinatedOmissionTests
{
    [Fact]
    public async Task RunAsync_OneSecondStallAt100PerSecond_InCorrectedP99NotInServiceTimeP99()
    {
        // 1,000 requests of 1 ms due every 10 ms through one slot; request 500 (due at 5 s) takes 1 s. The 99 requests
        // due during the stall leave late, each waiting up to a second: about 10 % of requests are slow, so the honest
        // p99 is close to 1 s; a client that times only its sends sees one slow request in 1,000 and a p99 of 1 ms.
        var clock = new ManualClock();
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("stall", context => FakeRequest(clock, context.Iteration == 500 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(1))),
                [new ConstantRate(100, TimeSpan.FromSeconds(10))], MaxConcurrency: 1)],
            new LoadTestOptions { Clock = clock });

        var stall = Assert.Single(result.Scenarios);
        Assert.Equal(1000, stall.Total.Count);
        Assert.Equal(1.0, stall.Total.ServiceTime.At(99), precision: 2);
        Assert.Equal(1000, stall.Total.ServiceTime.MaxMs, precision: 0);
        Assert.InRange(stall.Total.Latency.At(99), 850, 1001);
        Assert.InRange(stall.Total.Latency.At(90), 5, 1001);
        Assert.Equal(0, stall.Starts.Dropped);
        // the 99 due during the stall, and the ones behind them while the backlog drains (9 ms gained per 10 ms slot)
        Assert.InRange(stall.Starts.Late, 99, 115);
        Assert.True(stall.Starts.GeneratorSaturated);
        Assert.Contains(result.Warnings, w => w.Contains("generator itself fell behind", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NoStall_CorrectedEqualsServiceTimeAndNoWarning()
    {
        var clock = new ManualClock();
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("steady", _ => FakeRequest(clock, TimeSpan.FromMilliseconds(2))), [new ConstantRate(100, TimeSpan.FromSeconds(3))], MaxConcurrency: 1)],
            new LoadTestOptions { Clock = clock });

        var steady = Assert.Single(result.Scenarios);
        Assert.Equal(300, steady.Total.Count);
        Assert.Equal(steady.Total.ServiceTime.At(99.9), steady.Total.Latency.At(99.9));
        Assert.Equal(2.0, steady.Total.Latency.At(99.9), precision: 2);
        Assert.Equal(0, steady.Starts.Late);
        Assert.Empty(result.Warnings);
        Assert.Equal(100, steady.Total.RequestsPerSecond, precision: 0);
    }

    [Fact]
    public async Task RunAsync_StartsTooLateForMaxStartDelay_DroppedAndCounted()
    {
        var clock = new ManualClock();
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("dropping", context => FakeRequest(clock, context.Iteration == 0 ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(1))),
                [new ConstantRate(10, TimeSpan.FromSeconds(5))], MaxConcurrency: 1)],
            new LoadTestOptions { Clock = clock, MaxStartDelay = TimeSpan.FromSeconds(1) });

        var dropping = Assert.Single(result.Scenarios);
        // When the first request ends at 2 s, the starts due at 0.1 … 0.9 s are more than 1 s late; from 1.0 s on they still go.
        Assert.Equal(9, dropping.Starts.Dropped);
        Assert.Equal(41, dropping.Total.Count);
        Assert.Contains(result.Warnings, w => w.Contains("9 of 50 due starts were dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WarmUp_RunsFirstAndIsNotRecorded()
    {
        var clock = new ManualClock();
        var firstMeasured = -1L;
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("warm", context =>
            {
                if (clock.Elapsed >= TimeSpan.FromSeconds(1) && firstMeasured < 0)
                {
                    firstMeasured = context.Iteration;
                }

                return FakeRequest(clock, TimeSpan.FromMilliseconds(1));
            }), [new ConstantRate(50, TimeSpan.FromSeconds(2))], MaxConcurrency: 1)],
            new LoadTestOptions { Clock = clock, WarmUp = TimeSpan.FromSeconds(1) });

        var warm = Assert.Single(result.Scenarios);
        Assert.Equal(50, firstMeasured); // a second of warm-up at the first stage's rate came first
        Assert.Equal(100, warm.Total.Count);
        Assert.Equal(2, warm.Timeline.Count);
    }

    private static Task<StepResult> FakeRequest(ManualClock clock, TimeSpan takes)
    {
        clock.Advance(takes);
        return Task.FromResult(StepResult.Ok("200", 100, 200));
    }
}
