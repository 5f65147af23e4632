using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Messaging;
using LogisticsSync.Simulators.Telemetry;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Simulators.Wms;

/// <summary>What the WMS has done so far (<c>GET /wms/work</c>).</summary>
public sealed record WarehouseWorkReport(
    long OrdersReceived,
    long OrdersInProgress,
    long OrdersPacked,
    long ShortPicks,
    long LateConfirmations,
    long Reordered,
    long ConfirmationsSent,
    long DuplicatesSent,
    long SplitLines,
    long DamagedLines,
    long OrdersWithLostConfirmations);

/// <summary>
/// Allocates, picks and packs one released order in scaled time, confirming each step to the orchestrator.
/// Event ids come from the plan, so an order worked twice (its released event redelivered after a crash)
/// confirms under the same ids and the orchestrator's inbox absorbs the repeat.
/// </summary>
internal sealed partial class WarehouseFloor(
    MilestonePublisher publisher,
    WarehouseOrderBook orders,
    SimulationClock clock,
    SimulationSeed seed,
    MasterData master,
    FaultInjector faults,
    SimulatorMetrics metrics,
    IOptions<WmsOptions> options,
    ILogger<WarehouseFloor> logger)
{
    private long _received;
    private long _inProgress;
    private long _packed;
    private long _shortPicks;
    private long _late;
    private long _reordered;
    private long _sent;
    private long _duplicates;
    private long _splitLines;
    private long _damagedLines;
    private long _lost;

    public WarehouseWorkReport Report() => new(
        Interlocked.Read(ref _received), Interlocked.Read(ref _inProgress), Interlocked.Read(ref _packed), Interlocked.Read(ref _shortPicks),
        Interlocked.Read(ref _late), Interlocked.Read(ref _reordered), Interlocked.Read(ref _sent), Interlocked.Read(ref _duplicates),
        Interlocked.Read(ref _splitLines), Interlocked.Read(ref _damagedLines), Interlocked.Read(ref _lost));

    public async Task FulfilAsync(ShipmentEvent released, CancellationToken cancellationToken)
    {
        var orderKey = $"{released.SourceSystem}/{released.BusinessKey}";
        var plan = FulfilmentPlan.For(seed.Value, orderKey, options.Value, faults.Current, WarehouseOrders.LinesOf(master, seed.Value, released.BusinessKey));
        Interlocked.Increment(ref _received);
        Interlocked.Increment(ref _inProgress);
        var lost = FaultInjector.Decide(seed.Value, faults.Current.LostConfirmationRate, "wms.lost-confirmations", orderKey);
        orders.Received(released.BusinessKey, lost);
        if (lost)
        {
            Interlocked.Increment(ref _lost);
            metrics.FaultInjected("lost-confirmations");
        }

        try
        {
            LogPlanned(released.BusinessKey, clock.ToReal(plan.Duration).TotalSeconds, plan.ShortPicked, plan.LateConfirmation, plan.Reordered);
            foreach (var confirmation in plan.Confirmations)
            {
                await clock.DelayAsync(confirmation.After, cancellationToken);
                await faults.WaitWhileOutageAsync(cancellationToken);
                await faults.DelayAsync($"{orderKey}/{confirmation.Milestone}", cancellationToken);
                var report = new MilestoneReport(confirmation.EventId, ResourceNames.Wms, confirmation.Milestone, released.BusinessKey,
                    released.SourceSystem, released.CorrelationId, clock.Time.GetUtcNow(), plan.Detail(confirmation.Milestone));
                orders.Confirmed(released.BusinessKey, report);
                if (orders.ConfirmationsLost(released.BusinessKey))
                {
                    // Silent loss: the floor did the work and its record shows it; the orchestrator hears nothing.
                    continue;
                }

                await publisher.PublishAsync(report, cancellationToken);
                Interlocked.Increment(ref _sent);
                metrics.ConfirmationSent(confirmation.Milestone);
                if (confirmation.SendTwice)
                {
                    await publisher.PublishAsync(report, cancellationToken);
                    Interlocked.Increment(ref _duplicates);
                    metrics.ConfirmationSent(confirmation.Milestone);
                    metrics.FaultInjected("duplicate");
                }
            }

            CountPacked(plan);
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }

    /// <summary>An order packed: the floor's counters and the faults its plan injected.</summary>
    private void CountPacked(FulfilmentPlan plan)
    {
        Interlocked.Increment(ref _packed);
        Interlocked.Add(ref _shortPicks, plan.ShortPicked ? 1 : 0);
        Interlocked.Add(ref _late, plan.LateConfirmation ? 1 : 0);
        Interlocked.Add(ref _reordered, plan.Reordered ? 1 : 0);
        Interlocked.Add(ref _splitLines, plan.Lines.Count(l => l.Packages > 1));
        Interlocked.Add(ref _damagedLines, plan.Lines.Count(l => l.Exception == PickedLine.Damaged));
        foreach (var (fault, count) in new[]
        {
            ("short-pick", plan.ShortPicked ? 1 : 0), ("late-confirmation", plan.LateConfirmation ? 1 : 0), ("reorder", plan.Reordered ? 1 : 0),
            ("split-line", plan.Lines.Count(l => l.Packages > 1)), ("damaged-line", plan.Lines.Count(l => l.Exception == PickedLine.Damaged)),
        })
        {
            metrics.FaultInjected(fault, count);
        }
    }

    [LoggerMessage(EventId = LogEventIds.WarehouseFloorPlanned, Level = LogLevel.Debug, Message = "Order {BusinessKey}: packed in {RealSeconds:0.##} s real; short pick {ShortPicked}, late {Late}, reordered {Reordered}")]
    private partial void LogPlanned(string businessKey, double realSeconds, bool shortPicked, bool late, bool reordered);
}
