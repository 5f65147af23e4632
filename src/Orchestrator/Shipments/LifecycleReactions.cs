using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Timers;
using LogisticsSync.Orchestrator.Work;
using Npgsql;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>A write an applied milestone causes, and the exception type it opens or resolves, if it does.</summary>
internal sealed record Reaction(NpgsqlBatchCommand Command, string? OpensException = null, string? ResolvesException = null);

/// <summary>
/// The writes behind the side effects <see cref="ShipmentLifecycle.Reactions"/> declares (docs/lifecycle.md), one named
/// case each, for the transaction of the state change that causes them.
/// </summary>
internal sealed class LifecycleReactions(ExceptionRecords exceptions, ShipmentTimers timers, TimeProvider time)
{
    public IEnumerable<Reaction> For(Shipment after, IncomingMilestone milestone, LifecycleDecision.Applied applied)
    {
        var now = time.GetUtcNow();
        foreach (var effect in ShipmentLifecycle.SideEffectsOf(applied.To, milestone.Milestone, milestone.Source))
        {
            if (Write(effect, after, milestone, now) is { } reaction)
            {
                yield return reaction;
            }
        }
    }

    private Reaction? Write(SideEffect effect, Shipment after, IncomingMilestone milestone, DateTimeOffset now) => effect switch
    {
        SideEffect.Tender => new(PartnerTaskStore.Create(after.Id, TaskKinds.Tender, milestone.OccurredAt, now)),
        SideEffect.PostGoodsIssue => new(PartnerTaskStore.Create(after.Id, TaskKinds.GoodsIssue, milestone.OccurredAt, now)),
        SideEffect.TriggerInvoice => new(PartnerTaskStore.Create(after.Id, TaskKinds.Invoice, milestone.OccurredAt, now)),
        SideEffect.ResolveBookingDeferred => new(
            exceptions.Resolve(after.Id, ExceptionTypes.BookingDeferred, "shipment cancelled"),
            ResolvesException: ExceptionTypes.BookingDeferred.Name),
        SideEffect.OpenDeliveryLateIfPastPromise => DeliveryLate(after, milestone),
        SideEffect.ArmPromiseTimer => after.PromisedBy is { } promised ? new(timers.ArmPromise(after.Id, promised)) : null,
        SideEffect.CancelPromiseTimer => new(ShipmentTimers.CancelPromise(after.Id)),
        SideEffect.ReplaceDwellTimer => new(timers.ReplaceDwell(after.Id, after.State)),
        SideEffect.ResolveShipmentStuck => new(
            exceptions.ResolveStuckUnlessStill(after.Id, after.State, $"the shipment moved on to {after.State}"),
            ResolvesException: ExceptionTypes.ShipmentStuck.Name),
        // Not a write of its own: the unit of work checks it as it commits, after every other write (ShipmentClosure).
        SideEffect.CloseIfNothingOpen => null,
        _ => throw new ArgumentOutOfRangeException(nameof(effect), effect, "A side effect without its write."),
    };

    /// <summary>Only when the revised ETA is past the promise; a delay that still keeps it is no exception.</summary>
    private Reaction? DeliveryLate(Shipment after, IncomingMilestone milestone) =>
        milestone.Facts?.EstimatedDeliveryAt is { } eta && after.PromisedBy is { } promised && eta > promised
            ? new(
                exceptions.Open(after.Id, after.BusinessKey, ExceptionTypes.DeliveryLate,
                    $"{after.CarrierId ?? "the carrier"} expects delivery at {eta:O}, {FormatLateness(eta - promised)} after the promised {promised:O}"),
                ExceptionTypes.DeliveryLate.Name)
            : null;

    private static string FormatLateness(TimeSpan late) =>
        late.TotalDays >= 1 ? $"{late.TotalDays:0.#} days" : late.TotalHours >= 1 ? $"{late.TotalHours:0.#} hours" : $"{late.TotalMinutes:0} minutes";
}
