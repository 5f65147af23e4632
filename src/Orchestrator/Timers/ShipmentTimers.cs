using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LogisticsSync.Orchestrator.Timers;

/// <summary>The kinds of timer, as stored in <c>shipment_timers.kind</c>.</summary>
internal static class TimerKinds
{
    public const string Promise = "promise";
    public const string Dwell = "dwell";
}

/// <summary>
/// The writes that arm, replace and cancel a shipment's timers, as batch commands for the transaction of the state
/// change that causes them (<c>LifecycleReactions</c>): a timer exists exactly when the state it watches does.
/// </summary>
internal sealed class ShipmentTimers(IOptionsMonitor<ShipmentTimerOptions> options, TimeProvider time)
{
    /// <summary>Due at the promised delivery time; a repeat (the same release again) keeps the first.</summary>
    public NpgsqlBatchCommand ArmPromise(Guid shipmentId, DateTimeOffset promisedBy) =>
        new("""
            INSERT INTO shipment_timers (shipment_id, kind, due_at, armed_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (shipment_id, kind) DO NOTHING
            """)
        {
            Parameters = { new() { Value = shipmentId }, new() { Value = TimerKinds.Promise }, new() { Value = promisedBy }, new() { Value = time.GetUtcNow() } },
        };

    /// <summary>Delivered (or cancelled): the promise is kept or moot, nothing left to watch.</summary>
    public static NpgsqlBatchCommand CancelPromise(Guid shipmentId) => Cancel(shipmentId, TimerKinds.Promise);

    /// <summary>
    /// The dwell limit of the state the shipment entered, replacing the one of the state it left; none (cancelled)
    /// when the new state has no limit. A self-transition (proof of delivery after Delivered) keeps the running
    /// timer, fired or not: the shipment did not move.
    /// </summary>
    public NpgsqlBatchCommand ReplaceDwell(Guid shipmentId, ShipmentState state)
    {
        if (options.CurrentValue.RealDwellLimit(state) is not { } limit)
        {
            return Cancel(shipmentId, TimerKinds.Dwell);
        }

        var now = time.GetUtcNow();
        return new("""
            INSERT INTO shipment_timers (shipment_id, kind, state, due_at, armed_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (shipment_id, kind) DO UPDATE SET state = EXCLUDED.state, due_at = EXCLUDED.due_at, armed_at = EXCLUDED.armed_at, fired_at = NULL
            WHERE shipment_timers.state IS DISTINCT FROM EXCLUDED.state
            """)
        {
            Parameters =
            {
                new() { Value = shipmentId }, new() { Value = TimerKinds.Dwell }, new() { Value = state.ToString() },
                new() { Value = now + limit }, new() { Value = now },
            },
        };
    }

    private static NpgsqlBatchCommand Cancel(Guid shipmentId, string kind) =>
        new("DELETE FROM shipment_timers WHERE shipment_id = $1 AND kind = $2")
        {
            Parameters = { new() { Value = shipmentId }, new() { Value = kind } },
        };
}
