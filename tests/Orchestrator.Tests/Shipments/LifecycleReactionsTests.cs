using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Timers;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.Tests.Shipments;

public sealed class LifecycleReactionsTests
{
    private static readonly DateTimeOffset Promised = new(2026, 12, 1, 17, 0, 0, TimeSpan.Zero);
    private readonly LifecycleReactions _reactions = new(
        new ExceptionRecords(new StaticOptions<ExceptionOptions>(new ExceptionOptions()), TimeProvider.System),
        new ShipmentTimers(new StaticOptions<ShipmentTimerOptions>(new ShipmentTimerOptions()), TimeProvider.System),
        TimeProvider.System);

    [Theory]
    [InlineData(ShipmentMilestone.Packed, EstateSystem.Wms, ShipmentState.Packed, new[] { "tender" })]
    [InlineData(ShipmentMilestone.InTransit, EstateSystem.Carrier, ShipmentState.InTransit, new[] { "goods-issue" })]
    [InlineData(ShipmentMilestone.OutForDelivery, EstateSystem.Carrier, ShipmentState.OutForDelivery, new[] { "goods-issue" })]
    [InlineData(ShipmentMilestone.ProofOfDelivery, EstateSystem.Carrier, ShipmentState.Delivered, new[] { "goods-issue", "invoice" })]
    [InlineData(ShipmentMilestone.Booked, EstateSystem.Tms, ShipmentState.Booked, new string[0])]
    [InlineData(ShipmentMilestone.Invoiced, EstateSystem.Erp, ShipmentState.Invoiced, new string[0])]
    public void For_AppliedMilestone_CreatesTheTasksOfDocsFlows(ShipmentMilestone milestone, EstateSystem source, ShipmentState to, string[] kinds)
    {
        var reactions = _reactions.For(Shipment(), Milestone(milestone, source), new LifecycleDecision.Applied(to, [])).ToList();

        var tasks = reactions.Where(r => r.Command.CommandText.Contains("INSERT INTO partner_tasks", StringComparison.Ordinal)).ToList();
        Assert.Equal(kinds, tasks.Select(r => (string)r.Command.Parameters[1].Value!));
        Assert.All(tasks, r => Assert.Contains("ON CONFLICT", r.Command.CommandText, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2026-12-02T09:00:00+00:00", true)]
    [InlineData("2026-12-01T16:59:00+00:00", false)]
    public void For_DelayedWithRevisedEta_OpensDeliveryLateOnlyPastThePromise(string eta, bool opens)
    {
        var delayed = Milestone(ShipmentMilestone.Delayed, EstateSystem.Carrier) with
        {
            Facts = new MilestoneFacts(EstimatedDeliveryAt: DateTimeOffset.Parse(eta, System.Globalization.CultureInfo.InvariantCulture)),
        };

        var reactions = _reactions.For(Shipment(), delayed, new LifecycleDecision.Applied(ShipmentState.Delayed, [])).ToList();

        Assert.Equal(opens, reactions.Any(r => r.OpensException == ExceptionTypes.DeliveryLate.Name));
    }

    [Fact]
    public void For_Cancelled_ResolvesAnOpenBookingDeferred()
    {
        var reactions = _reactions.For(Shipment(), Milestone(ShipmentMilestone.Cancelled, EstateSystem.Erp), new LifecycleDecision.Applied(ShipmentState.Cancelled, []));

        Assert.Contains(reactions, r => r.ResolvesException == ExceptionTypes.BookingDeferred.Name);
    }

    [Theory]
    [InlineData(ShipmentMilestone.Released, EstateSystem.Erp, ShipmentState.Released, "INSERT INTO shipment_timers", true)]
    [InlineData(ShipmentMilestone.Packed, EstateSystem.Wms, ShipmentState.Packed, "INSERT INTO shipment_timers", false)]
    [InlineData(ShipmentMilestone.Invoiced, EstateSystem.Erp, ShipmentState.Invoiced, "DELETE FROM shipment_timers", false)]
    public void For_AppliedMilestone_ReplacesTheDwellTimerAndResolvesAStuckException(
        ShipmentMilestone milestone, EstateSystem source, ShipmentState to, string dwellWrite, bool armsPromise)
    {
        var reactions = _reactions.For(Shipment() with { State = to }, Milestone(milestone, source), new LifecycleDecision.Applied(to, [])).ToList();

        var dwell = Assert.Single(reactions, r => r.Command.CommandText.Contains("shipment_timers", StringComparison.Ordinal)
            && r.Command.Parameters.Any(p => Equals(p.Value, TimerKinds.Dwell)));
        Assert.Contains(dwellWrite, dwell.Command.CommandText, StringComparison.Ordinal);
        Assert.Contains(reactions, r => r.ResolvesException == ExceptionTypes.ShipmentStuck.Name);
        Assert.Equal(armsPromise, reactions.Any(r => r.Command.Parameters.Any(p => Equals(p.Value, TimerKinds.Promise))));
    }

    private static Shipment Shipment() => new(
        Guid.CreateVersion7(), "erp", "SO-1", ShipmentState.Released, "Erp", 1, "c-1",
        new ReleaseShipmentRequest("SO-1", null, null, null, null, Promised, null), "fp", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static IncomingMilestone Milestone(ShipmentMilestone milestone, EstateSystem source) =>
        new("e-1", milestone, source, "c-1", DateTimeOffset.UtcNow);

    private sealed class StaticOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
