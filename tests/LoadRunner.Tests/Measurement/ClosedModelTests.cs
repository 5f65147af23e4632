using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.LoadRunner.Tests.Measurement;

public sealed class ClosedModelTests
{
    [Fact]
    public async Task RunAsync_FixedIterations_ExactlyThatManyAcrossCopies()
    {
        var copiesSeen = new HashSet<int>();
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("fixed", async context =>
            {
                lock (copiesSeen)
                {
                    copiesSeen.Add(context.Copy);
                }

                await Task.Delay(1, context.CancellationToken);
                return StepResult.Ok("200");
            }), [new FixedIterations(50, 4)])],
            new LoadTestOptions());

        Assert.Equal(50, Assert.Single(result.Scenarios).Total.Ok);
        // which copies got iterations depends on how fast the thread pool started them (a busy box can let one copy do most)
        Assert.Subset(new HashSet<int> { 0, 1, 2, 3 }, copiesSeen);
    }

    [Fact]
    public async Task RunAsync_ConstantCopies_NeverMoreInFlightThanCopies()
    {
        var inFlight = 0;
        var most = 0;
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("copies", async context =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(5, context.CancellationToken);
                Interlocked.Decrement(ref inFlight);
                return StepResult.Ok("200");
            }), [new ConstantCopies(3, TimeSpan.FromSeconds(2))])],
            new LoadTestOptions());

        Assert.InRange(most, 1, 3);
        // 2 s, not 500 ms: on a loaded CI box the copies once started after a 500 ms window had closed
        Assert.InRange(Assert.Single(result.Scenarios).Total.Ok, 1, 1203); // 3 copies × at most 2 s / 5 ms, and the ones in flight at the end
    }

    [Fact]
    public async Task RunAsync_TwoStepsAndAFailure_LaterStepSkippedAndStatusesCounted()
    {
        var result = await LoadTest.RunAsync(
            [new ScenarioRun(new Scenario("two-steps",
            [
                new Step("create", context => Task.FromResult(context.Iteration % 4 == 0 ? StepResult.Fail("503") : StepResult.Ok("201", 300, 100))),
                new Step("read", _ => throw new InvalidOperationException("boom")),
            ]), [new FixedIterations(40, 2)])],
            new LoadTestOptions());

        var scenario = Assert.Single(result.Scenarios);
        Assert.Equal(new Dictionary<string, long> { ["201"] = 30, ["503"] = 10 }, scenario.Steps[0].StatusCodes);
        Assert.Equal(new Dictionary<string, long> { ["InvalidOperationException"] = 30 }, scenario.Steps[1].StatusCodes);
        Assert.Equal(70, scenario.Total.Count);
        Assert.Equal(9000, scenario.Total.BytesSent);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
