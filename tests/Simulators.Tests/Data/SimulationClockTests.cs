using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Roles;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LogisticsSync.Simulators.Tests.Data;

public sealed class SimulationClockTests
{
    [Fact]
    public void ToReal_DividesSimulatedTimeByTheScale()
    {
        var clock = new SimulationClock(Options.Create(new SimulatorOptions { TimeScale = 3600 }), new FakeTimeProvider());

        Assert.Equal(TimeSpan.FromSeconds(1), clock.ToReal(TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), clock.ToReal(TimeSpan.FromMinutes(30)));
    }

    [Fact]
    public async Task DelayAsync_WaitsTheScaledTimeOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var clock = new SimulationClock(Options.Create(new SimulatorOptions { TimeScale = 60 }), time);

        var pick = clock.DelayAsync(TimeSpan.FromMinutes(30), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(pick.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await pick.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void DurationRange_Draw_StaysWithinItsBounds()
    {
        var range = new DurationRange(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(45));
        var random = new Random(3);

        Assert.All(Enumerable.Range(0, 1000).Select(_ => range.Draw(random)), d => Assert.InRange(d, range.Min, range.Max));
    }

    [Fact]
    public void SimulationSeed_Configured_IsUsed_Unset_IsDrawn()
    {
        Assert.Equal(new SimulationSeed(42, Configured: true), SimulationSeed.From(new SimulatorOptions { Seed = 42 }));
        Assert.False(SimulationSeed.From(new SimulatorOptions()).Configured);
    }
}
