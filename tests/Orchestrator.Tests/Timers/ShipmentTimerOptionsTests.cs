using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Timers;

namespace LogisticsSync.Orchestrator.Tests.Timers;

public sealed class ShipmentTimerOptionsTests
{
    [Fact]
    public void RealDwellLimit_Unscaled_IsTheBusinessLimit() =>
        Assert.Equal(TimeSpan.FromHours(2), new ShipmentTimerOptions().RealDwellLimit(ShipmentState.Packed));

    [Theory]
    [InlineData(ShipmentState.Packed, 20_000, 30)] // 2 h / 20,000 = 0.36 s: the real-time floor
    [InlineData(ShipmentState.InTransit, 20_000, 43.2)] // 10 days / 20,000
    [InlineData(ShipmentState.Packed, 60, 120)] // 2 h at the default simulation speed
    public void RealDwellLimit_CompressedEstate_ScalesButNotBelowTheFloor(ShipmentState state, double timeScale, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new ShipmentTimerOptions { TimeScale = timeScale }.RealDwellLimit(state));

    [Fact]
    public void RealDwellLimit_ConfiguredShorterThanTheFloor_IsTakenAsConfigured()
    {
        var options = new ShipmentTimerOptions();
        options.DwellLimits[nameof(ShipmentState.Packed)] = TimeSpan.FromSeconds(2);

        Assert.Equal(TimeSpan.FromSeconds(2), options.RealDwellLimit(ShipmentState.Packed));
    }

    [Theory]
    [InlineData(ShipmentState.BookingDeferred)]
    [InlineData(ShipmentState.Invoiced)]
    [InlineData(ShipmentState.Closed)]
    [InlineData(ShipmentState.Cancelled)]
    public void RealDwellLimit_StatesWithoutALimit_None(ShipmentState state) => Assert.Null(new ShipmentTimerOptions().RealDwellLimit(state));

    [Fact]
    public void Stalled_NoPollForTheThreshold_SaysSo()
    {
        var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

        Assert.Null(ShipmentTimerHealthCheck.Stalled(now.AddSeconds(-29), now, TimeSpan.FromSeconds(30)));
        Assert.Equal("timers stalled: no poll for due timers completed for 45 s (the database unreachable?)",
            ShipmentTimerHealthCheck.Stalled(now.AddSeconds(-45), now, TimeSpan.FromSeconds(30)));
    }
}
