using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Work;
using Npgsql;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>A write an applied milestone causes, and the exception type it opens or resolves, if it does.</summary>
internal sealed record Reaction(NpgsqlBatchCommand Command, string? OpensException = null, string? ResolvesException = null);

/// <summary>
/// What the flows do when a milestone is applied (docs/flows.md), as writes in the same transaction as the
/// state change: the work and the exceptions exist exactly when the change that causes them does.
/// Every task is created once per shipment and kind, so a repeated milestone creates nothing new.
/// </summary>
internal sealed class LifecycleReactions(ExceptionRecords exceptions, TimeProvider time)
{
    public IEnumerable<Reaction> For(Shipment after, IncomingMilestone milestone, LifecycleDecision.Applied applied)
    {
        var now = time.GetUtcNow();

        // Order-to-ship: only a packed shipment is tendered.
        if (applied.To == ShipmentState.Packed)
        {
            yield return new(PartnerTaskStore.Create(after.Id, TaskKinds.Tender, milestone.OccurredAt, now));
        }

        // Deliver-to-cash: the first carrier milestone means the goods left (goods issue), whichever it is — a
        // forward jump past InTransit still means they left. Later ones find the task there and add nothing.
        if (milestone.Source == EstateSystem.Carrier)
        {
            yield return new(PartnerTaskStore.Create(after.Id, TaskKinds.GoodsIssue, milestone.OccurredAt, now));
        }

        if (milestone.Milestone == ShipmentMilestone.ProofOfDelivery)
        {
            yield return new(PartnerTaskStore.Create(after.Id, TaskKinds.Invoice, milestone.OccurredAt, now));
        }

        // A cancelled shipment needs no booking any more: its deferred booking is no one's problem now.
        if (applied.To == ShipmentState.Cancelled)
        {
            yield return new(
                exceptions.Resolve(after.Id, ExceptionTypes.BookingDeferred, "shipment cancelled"),
                ResolvesException: ExceptionTypes.BookingDeferred.Name);
        }

        // Ship-to-deliver: a delay whose revised ETA breaks the promise is customer service's to handle.
        if (milestone.Milestone == ShipmentMilestone.Delayed
            && milestone.Facts?.EstimatedDeliveryAt is { } eta && after.PromisedBy is { } promised && eta > promised)
        {
            yield return new(
                exceptions.Open(after.Id, after.BusinessKey, ExceptionTypes.DeliveryLate,
                    $"{after.CarrierId ?? "the carrier"} expects delivery at {eta:O}, {FormatLateness(eta - promised)} after the promised {promised:O}"),
                ExceptionTypes.DeliveryLate.Name);
        }
    }

    private static string FormatLateness(TimeSpan late) =>
        late.TotalDays >= 1 ? $"{late.TotalDays:0.#} days" : late.TotalHours >= 1 ? $"{late.TotalHours:0.#} hours" : $"{late.TotalMinutes:0} minutes";
}
