using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Messaging;

namespace LogisticsSync.Simulators.Wms;

/// <summary>One confirmation the WMS will send: which milestone, how long after the previous one (simulated), under which event id.</summary>
internal sealed record Confirmation(string Milestone, TimeSpan After, Guid EventId, bool SendTwice);

/// <summary>
/// One order line as the warehouse worked it: how many were picked, into how many packages (a split line was picked
/// from two locations and packed as two), and why fewer than ordered (<c>damaged</c>: a unit quarantined at picking;
/// <c>not-found</c>: the short pick the profile's ShortPickRate draws).
/// </summary>
public sealed record PickedLine(string Sku, int Ordered, int Picked, int Packages, string? Exception)
{
    public const string Damaged = "damaged";
    public const string NotFound = "not-found";
}

/// <summary>
/// What the warehouse will do with one released order, decided up front from the seed and the order's key:
/// the same seed gives the same timings, short picks, split and damaged lines, duplicates and reorders on every run,
/// whatever else the warehouse is busy with.
/// </summary>
internal sealed record FulfilmentPlan(IReadOnlyList<Confirmation> Confirmations, bool ShortPicked, bool LateConfirmation, bool Reordered, IReadOnlyList<PickedLine> Lines)
{
    public static FulfilmentPlan For(int seed, string orderKey, WmsOptions options, FaultProfile faults, IReadOnlyList<OrderLine>? lines = null)
    {
        var timings = SeededRandom.For(seed, "wms.timings", orderKey);
        var allocation = options.Allocation.Draw(timings);
        var picking = options.Picking.Draw(timings);
        var packing = options.Packing.Draw(timings);
        var lateBy = options.LateConfirmation.Draw(timings);

        var shortPickDrawn = FaultInjector.Decide(seed, faults.ShortPickRate, "wms.short-pick", orderKey);
        var picked = PickLines(seed, orderKey, faults, lines ?? [], shortPickDrawn);
        // A damaged unit is a short pick too: the orchestrator knows short-picked, not why.
        var shortPicked = shortPickDrawn || picked.Any(l => l.Exception == PickedLine.Damaged);
        var late = FaultInjector.Decide(seed, faults.LateConfirmationRate, "wms.late-confirmation", orderKey);
        var reordered = FaultInjector.Decide(seed, faults.ReorderRate, "wms.reorder", orderKey);

        Confirmation Confirm(string milestone, TimeSpan after) => new(
            milestone,
            after,
            SeededRandom.Id(seed, "wms.events", $"{orderKey}/{milestone}"),
            FaultInjector.Decide(seed, faults.DuplicateRate, "wms.duplicate", $"{orderKey}/{milestone}"));

        var pickMilestone = shortPicked ? MilestoneNames.ShortPicked : MilestoneNames.Picked;
        var pickAfter = late ? picking + lateBy : picking;
        // Reordered: the pick confirmation is held back and sent after the pack confirmation, as an interface
        // that batches by type might; the orchestrator must not move the shipment backwards.
        List<Confirmation> confirmations = reordered
            ? [Confirm(MilestoneNames.Allocated, allocation), Confirm(MilestoneNames.Packed, pickAfter + packing), Confirm(pickMilestone, options.ReorderedConfirmationDelay)]
            : [Confirm(MilestoneNames.Allocated, allocation), Confirm(pickMilestone, pickAfter), Confirm(MilestoneNames.Packed, packing)];
        return new FulfilmentPlan(confirmations, shortPicked, late, reordered, picked);
    }

    public TimeSpan Duration => Confirmations.Aggregate(TimeSpan.Zero, (total, confirmation) => total + confirmation.After);

    /// <summary>Packages the order leaves in: one, plus one more per split line.</summary>
    public int Packages => 1 + Lines.Count(l => l.Packages > 1);

    /// <summary>What a confirmation tells about the lines: the pick (what was picked, what not and why) and the pack (packages).</summary>
    public object? Detail(string milestone) => milestone switch
    {
        _ when Lines.Count == 0 => null,
        MilestoneNames.Picked or MilestoneNames.ShortPicked => new { lines = Lines.Select(l => new { sku = l.Sku, ordered = l.Ordered, picked = l.Picked, exception = l.Exception }) },
        MilestoneNames.Packed => new
        {
            packages = Packages,
            lines = Lines.Select(l => new { sku = l.Sku, ordered = l.Ordered, packed = l.Picked, packages = l.Packages, exception = l.Exception }),
        },
        _ => null,
    };

    private static List<PickedLine> PickLines(int seed, string orderKey, FaultProfile faults, IReadOnlyList<OrderLine> lines, bool shortPickDrawn)
    {
        var picked = lines.Select(line =>
        {
            var subject = $"{orderKey}/{line.Sku.Code}";
            var damaged = FaultInjector.Decide(seed, faults.DamagedLineRate, "wms.damaged-line", subject);
            // Only a line of two or more units can come from two locations.
            var split = line.Quantity > 1 && FaultInjector.Decide(seed, faults.SplitLineRate, "wms.split-line", subject);
            return new PickedLine(line.Sku.Code, line.Quantity, damaged ? line.Quantity - 1 : line.Quantity, split ? 2 : 1, damaged ? PickedLine.Damaged : null);
        }).ToList();
        if (shortPickDrawn && picked.Count > 0)
        {
            var index = (int)(SeededRandom.Unit(seed, "wms.short-pick-line", orderKey) * picked.Count);
            if (picked[index].Exception is null)
            {
                picked[index] = picked[index] with { Picked = picked[index].Ordered - 1, Exception = PickedLine.NotFound };
            }
        }

        return picked;
    }
}
