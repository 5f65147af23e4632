using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.LoadRunner.Tests.Simulations;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void Arrivals_ConstantRate_EvenlySpacedFromZero()
    {
        var arrivals = ArrivalSchedule.Arrivals([new ConstantRate(10, TimeSpan.FromSeconds(1))]).ToList();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 100.0), arrivals.Select(Milliseconds));
    }

    [Fact]
    public void Arrivals_FractionalRate_RemainderCarriesAcrossStages()
    {
        // 2.5/s for 1 s owes 2.5 starts: 3 fall in the first second (0, 0.4, 0.8 s); the half start owed carries, so the next is due 0.2 s into the second stage.
        var arrivals = ArrivalSchedule.Arrivals([new ConstantRate(2.5, TimeSpan.FromSeconds(1)), new ConstantRate(2.5, TimeSpan.FromSeconds(1))]).ToList();

        Assert.Equal([0, 400, 800, 1200, 1600], arrivals.Select(Milliseconds));
    }

    [Fact]
    public void Arrivals_RampFromZero_FollowsTheIntegralOfTheRate()
    {
        // rate(t) = 5t over 2 s (0 → 10/s): count(t) = 2.5t², so arrival k is due at √(k / 2.5); 10 arrivals in all.
        var arrivals = ArrivalSchedule.Arrivals([new RampingRate(10, TimeSpan.FromSeconds(2))]).ToList();

        Assert.Equal(10, arrivals.Count);
        for (var k = 0; k < arrivals.Count; k++)
        {
            Assert.Equal(Math.Sqrt(k / 2.5) * 1000, Milliseconds(arrivals[k]), tolerance: 0.001);
        }
    }

    [Fact]
    public void Arrivals_RampDown_SpacingWidens()
    {
        var arrivals = ArrivalSchedule.Arrivals([new ConstantRate(20, TimeSpan.FromSeconds(1)), new RampingRate(0, TimeSpan.FromSeconds(2))]).ToList();
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => (b - a).TotalMilliseconds).Skip(20).ToList();

        Assert.Equal(20 + 20, arrivals.Count); // 20 at 20/s, then the ramp's area ½·20·2
        Assert.All(gaps.Zip(gaps.Skip(1)), pair => Assert.True(pair.Second >= pair.First - 1e-9));
        Assert.All(arrivals, a => Assert.True(a < TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Arrivals_RandomRate_EachSecondWithinRangeAndSameSeedSameTimes()
    {
        LoadSimulation[] stages = [new RandomRate(10, 50, TimeSpan.FromSeconds(5))];

        var first = ArrivalSchedule.Arrivals(stages, seed: 7).ToList();
        var again = ArrivalSchedule.Arrivals(stages, seed: 7).ToList();
        var other = ArrivalSchedule.Arrivals(stages, seed: 8).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        foreach (var perSecond in first.GroupBy(a => (int)a.TotalSeconds).Select(g => g.Count()))
        {
            Assert.InRange(perSecond, 9, 51); // the carried remainder can move one start across a boundary
        }
    }

    [Fact]
    public void Arrivals_Pause_LeavesAGapAndTheNextRampStartsFromZero()
    {
        var arrivals = ArrivalSchedule.Arrivals([new ConstantRate(10, TimeSpan.FromSeconds(1)), new Pause(TimeSpan.FromSeconds(2)), new RampingRate(10, TimeSpan.FromSeconds(2))]).ToList();

        Assert.DoesNotContain(arrivals, a => a > TimeSpan.FromSeconds(0.95) && a < TimeSpan.FromSeconds(3));
        Assert.Equal(20, arrivals.Count);
        Assert.Equal(3000, Milliseconds(arrivals[10]), tolerance: 0.001);
        Assert.Equal(3000 + (Math.Sqrt(1 / 2.5) * 1000), Milliseconds(arrivals[11]), tolerance: 0.001);
    }

    [Fact]
    public void Count_MatchesTheArrivals()
    {
        LoadSimulation[] stages = [new RampingRate(100, TimeSpan.FromSeconds(3)), new ConstantRate(100, TimeSpan.FromSeconds(2)), new RandomRate(5, 15, TimeSpan.FromSeconds(2.5))];

        Assert.Equal(ArrivalSchedule.Arrivals(stages).LongCount(), ArrivalSchedule.Count(stages));
    }

    private static double Milliseconds(TimeSpan value) => Math.Round(value.TotalMilliseconds, 6);
}
