using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Timers;

/// <summary>A due timer as claimed, with the shipment's state at the moment of firing (both rows locked).</summary>
internal sealed record DueTimer(Guid ShipmentId, string BusinessKey, string Kind, string? TimerState, DateTimeOffset DueAt, DateTimeOffset ArmedAt, ShipmentState ShipmentState);

/// <summary>The exception a fired timer opens: its type, the team that owns it and what happened.</summary>
internal sealed record TimerBreach(ExceptionType Type, string OwnerTeam, string Detail)
{
    /// <summary>
    /// What a due timer means now; null when it means nothing any more (the shipment delivered or cancelled before
    /// the promise, or — never under the row locks, but cheap to check — moved on from the state the timer watched).
    /// </summary>
    public static TimerBreach? Of(DueTimer timer) => timer.Kind switch
    {
        TimerKinds.Dwell when timer.TimerState == timer.ShipmentState.ToString() => Stuck(timer),
        TimerKinds.Promise when !ShipmentLifecycle.Reached(timer.ShipmentState, ShipmentState.Delivered) && !ShipmentLifecycle.IsTerminal(timer.ShipmentState) =>
            new(ExceptionTypes.DeliveryLate, ExceptionTypes.DeliveryLate.OwnerTeam,
                $"not delivered by the promised {timer.DueAt:O}: the shipment is still {timer.ShipmentState}"),
        _ => null,
    };

    private static TimerBreach Stuck(DueTimer timer)
    {
        var waitingOn = ShipmentLifecycle.WaitingOn(timer.ShipmentState) ?? EstateSystem.Orchestrator;
        return new(ExceptionTypes.ShipmentStuck, OwningTeams.Of(waitingOn),
            $"{timer.ShipmentState} since {timer.ArmedAt:O}, past its dwell limit ({Format(timer.DueAt - timer.ArmedAt)}, due {timer.DueAt:O}); waiting on the {waitingOn.ToString().ToUpperInvariant()}");
    }

    private static string Format(TimeSpan limit) =>
        limit.TotalDays >= 1 ? $"{limit.TotalDays:0.#} days" : limit.TotalHours >= 1 ? $"{limit.TotalHours:0.#} hours"
        : limit.TotalMinutes >= 1 ? $"{limit.TotalMinutes:0.#} minutes" : $"{limit.TotalSeconds:0.#} s";
}
