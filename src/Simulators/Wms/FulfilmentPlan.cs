using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Messaging;

namespace LogisticsSync.Simulators.Wms;

/// <summary>One confirmation the WMS will send: which milestone, how long after the previous one (simulated), under which event id.</summary>
internal sealed record Confirmation(string Milestone, TimeSpan After, Guid EventId, bool SendTwice);

/// <summary>
/// What the warehouse will do with one released order, decided up front from the seed and the order's key:
/// the same seed gives the same timings, short picks, duplicates and reorders on every run, whatever else
/// the warehouse is busy with.
/// </summary>
internal sealed record FulfilmentPlan(IReadOnlyList<Confirmation> Confirmations, bool ShortPicked, bool LateConfirmation, bool Reordered)
{
    public static FulfilmentPlan For(int seed, string orderKey, WmsOptions options, FaultProfile faults)
    {
        var timings = SeededRandom.For(seed, "wms.timings", orderKey);
        var allocation = options.Allocation.Draw(timings);
        var picking = options.Picking.Draw(timings);
        var packing = options.Packing.Draw(timings);
        var lateBy = options.LateConfirmation.Draw(timings);

        var shortPicked = FaultInjector.Decide(seed, faults.ShortPickRate, "wms.short-pick", orderKey);
        var late = FaultInjector.Decide(seed, faults.LateConfirmationRate, "wms.late-confirmation", orderKey);
        var reordered = FaultInjector.Decide(seed, faults.ReorderRate, "wms.reorder", orderKey);

        Confirmation Confirm(string milestone, TimeSpan after) => new(
            milestone,
            after,
            SeededRandom.Id(seed, "wms.events", $"{orderKey}/{milestone}"),
            FaultInjector.Decide(seed, faults.DuplicateRate, "wms.duplicate", $"{orderKey}/{milestone}"));

        var pickMilestone = shortPicked ? Milestones.ShortPicked : Milestones.Picked;
        var pickAfter = late ? picking + lateBy : picking;
        // Reordered: the pick confirmation is held back and sent after the pack confirmation, as an interface
        // that batches by type might; the orchestrator must not move the shipment backwards.
        List<Confirmation> confirmations = reordered
            ? [Confirm(Milestones.Allocated, allocation), Confirm(Milestones.Packed, pickAfter + packing), Confirm(pickMilestone, options.ReorderedConfirmationDelay)]
            : [Confirm(Milestones.Allocated, allocation), Confirm(pickMilestone, pickAfter), Confirm(Milestones.Packed, packing)];
        return new FulfilmentPlan(confirmations, shortPicked, late, reordered);
    }

    public TimeSpan Duration => Confirmations.Aggregate(TimeSpan.Zero, (total, confirmation) => total + confirmation.After);
}
