using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Timers;

namespace LogisticsSync.Orchestrator.Tests.Timers;

public sealed class TimerBreachTests
{
    private static readonly DateTimeOffset Armed = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ShipmentState.Released, "warehouse-operations")]
    [InlineData(ShipmentState.Packed, "transport-planning")]
    [InlineData(ShipmentState.Tendered, "transport-planning")]
    [InlineData(ShipmentState.Booked, "carrier-operations")]
    [InlineData(ShipmentState.Delayed, "carrier-operations")]
    [InlineData(ShipmentState.Delivered, "finance")]
    public void Of_DwellTimerOfTheCurrentState_OpensShipmentStuckForTheTeamOfTheWayOut(ShipmentState state, string team)
    {
        var breach = TimerBreach.Of(Timer(TimerKinds.Dwell, state.ToString(), state));

        Assert.NotNull(breach);
        Assert.Equal(ExceptionTypes.ShipmentStuck, breach.Type);
        Assert.Equal(team, breach.OwnerTeam);
        Assert.StartsWith($"{state} since 2026-12-05T08:00:00.0000000+00:00, past its dwell limit (2 hours", breach.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_DwellTimerOfAStateLeftSince_OpensNothing() =>
        Assert.Null(TimerBreach.Of(Timer(TimerKinds.Dwell, nameof(ShipmentState.Packed), ShipmentState.Tendered)));

    [Theory]
    [InlineData(ShipmentState.Released, true)]
    [InlineData(ShipmentState.InTransit, true)]
    [InlineData(ShipmentState.Delayed, true)]
    [InlineData(ShipmentState.DeliveryFailed, true)]
    [InlineData(ShipmentState.Delivered, false)]
    [InlineData(ShipmentState.Closed, false)]
    [InlineData(ShipmentState.Cancelled, false)]
    public void Of_PromiseTimer_OpensDeliveryLateOnlyWhenNotDelivered(ShipmentState state, bool opens)
    {
        var breach = TimerBreach.Of(Timer(TimerKinds.Promise, null, state));

        Assert.Equal(opens, breach is not null);
        Assert.True(breach is null || (breach.Type == ExceptionTypes.DeliveryLate && breach.OwnerTeam == "customer-service"));
    }

    private static DueTimer Timer(string kind, string? timerState, ShipmentState current) =>
        new(Guid.CreateVersion7(), "SO-1", kind, timerState, Armed.AddHours(2), Armed, current);
}
