using LogisticsSync.Load.Chaos.Monitoring;
using LogisticsSync.ServiceDefaults.Protocol;
namespace LogisticsSync.Load.Chaos.Invariants;

/// <summary>
/// The invariants of a chaos run (issue 12, docs/chaos.md), as a pure function of what the systems of record say, so
/// each can be tested with records that break it. The run passes only when all hold.
/// </summary>
public static class InvariantCheck
{
    /// <summary>
    /// The ends of the lifecycle. Not Invoiced: an invoiced shipment closes as soon as nothing is open on it, so one
    /// left Invoiced without an open exception means closure failed; one with an open exception is explained.
    /// </summary>
    public static readonly string[] Settled = ["Closed", "Cancelled"];

    private const int MaxOffenders = 20;

    public static IReadOnlyList<InvariantResult> Evaluate(Records records) =>
    [
        NoOrderLost(records),
        OneShipmentPerOrder(records),
        SettledOrExplained(records),
        PostedOnce(records, "goods-issue", "no goods issue posted twice in the ERP"),
        PostedOnce(records, "invoice", "no invoice posted twice in the ERP"),
        Result("every accepted milestone applied once", records.MilestonesAppliedTwice.Count == 0, $"{records.MilestonesAppliedTwice.Count} applied more than once",
            records.MilestonesAppliedTwice),
        Result("outbox drained", records.OutboxUnsent == 0, $"{records.OutboxUnsent} events unsent", []),
        QueuesDrained(records),
        DeadLettersOnlyPoison(records),
    ];

    private static InvariantResult NoOrderLost(Records records)
    {
        var notReleased = records.Orders.Where(o => o.Status != "Released").Select(o => $"{o.BusinessKey} {o.Status}").ToList();
        return Result("no order lost at the ERP (every order it started is released)", records.Orders.Count > 0 && notReleased.Count == 0,
            $"{records.Orders.Count - notReleased.Count} of {records.Orders.Count} released", records.Orders.Count == 0 ? ["the ERP released nothing"] : notReleased);
    }

    private static InvariantResult OneShipmentPerOrder(Records records)
    {
        var shipments = records.Shipments.ToLookup(s => s.BusinessKey);
        var offenders = new List<string>();
        foreach (var order in records.Orders.Where(o => o.Status == "Released"))
        {
            var mine = shipments[order.BusinessKey].ToList();
            if (mine.Count != 1)
            {
                offenders.Add($"{order.BusinessKey}: {mine.Count} shipments");
            }
            else if (mine[0].Id != order.ShipmentId)
            {
                offenders.Add($"{order.BusinessKey}: the ERP was given {order.ShipmentId}, the orchestrator has {mine[0].Id}");
            }
        }

        var known = records.Orders.Select(o => o.BusinessKey).ToHashSet();
        offenders.AddRange(records.Shipments.Where(s => !known.Contains(s.BusinessKey)).Select(s => $"{s.BusinessKey}: a shipment the ERP never released"));
        return Result("every released order is exactly one shipment with the ERP's id", offenders.Count == 0,
            $"{records.Shipments.Count} shipments for {records.Orders.Count(o => o.Status == "Released")} released orders", offenders);
    }

    /// <summary>
    /// The figure counts the unexplained per state, and each offender says how long ago it last changed and what partner
    /// work it waits for: CI shows only a log's tail, and those tell a flow still moving from one that stopped.
    /// </summary>
    private static InvariantResult SettledOrExplained(Records records)
    {
        var open = records.Shipments.Where(s => !Settled.Contains(s.State)).ToList();
        var unexplained = open.Where(s => s.OpenExceptions.Count == 0).ToList();
        var perState = string.Join(", ", unexplained.GroupBy(s => s.State).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
        return Result("every shipment settled (closed, cancelled) or holding an open exception", unexplained.Count == 0,
            $"{records.Shipments.Count - open.Count} settled, {open.Count - unexplained.Count} with an open exception, {unexplained.Count} neither{(perState.Length > 0 ? $" ({perState})" : "")}",
            [.. unexplained.OrderBy(s => s.SinceLastChange).Select(Describe)]);
    }

    private static string Describe(ShipmentRow shipment) =>
        $"{shipment.BusinessKey} {shipment.State}"
        + (shipment.SinceLastChange is { } since ? $", last change {since.TotalSeconds:0} s ago" : "")
        + (shipment.PendingWork is { } work ? $", waiting on {work}" : "");

    private static InvariantResult PostedOnce(Records records, string kind, string name)
    {
        var twice = records.Postings.Where(p => p.Kind == kind).GroupBy(p => p.BusinessKey).Where(g => g.Select(p => p.Document).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Document).Distinct())}").ToList();
        return Result(name, twice.Count == 0, $"{records.Postings.Count(p => p.Kind == kind)} documents, {twice.Count} keys posted twice", twice);
    }

    /// <summary>
    /// <see cref="WorkQueues"/> only: the unrouted sink's depth is reported, not failed. A release that missed the WMS
    /// would show as a shipment stuck in Released, which the settle invariant catches.
    /// </summary>
    private static InvariantResult QueuesDrained(Records records)
    {
        var work = records.QueueDepths.Where(q => WorkQueues.Contains(q.Key)).ToList();
        var waiting = work.Where(q => q.Value > 0).Select(q => $"{q.Key}: {q.Value}").ToList();
        return Result("broker queues drained", waiting.Count == 0,
            $"{work.Sum(q => q.Value)} messages in {waiting.Count} work queues; {records.QueueDepths.GetValueOrDefault(BrokerTopology.UnroutedQueue)} unsubscribed events in {BrokerTopology.UnroutedQueue}",
            waiting);
    }

    /// <summary>A poison message is one that can never be applied; the consumer says so in its reason ("poison: …").</summary>
    private static InvariantResult DeadLettersOnlyPoison(Records records)
    {
        var notPoison = records.DeadLetters.Where(d => !d.Reason.StartsWith("poison", StringComparison.OrdinalIgnoreCase)).ToList();
        return Result("dead letters only for poison messages", notPoison.Count == 0,
            $"{records.DeadLetters.Count} dead letters, {notPoison.Count} not poison",
            [.. records.DeadLetters.Select(d => $"#{d.Id} {d.RoutingKey} {d.EventId}: {d.Reason}")]);
    }

    private static InvariantResult Result(string name, bool holds, string figure, IReadOnlyList<string> offenders) =>
        new(name, holds, figure, [.. offenders.Take(MaxOffenders), .. offenders.Count > MaxOffenders ? [$"… and {offenders.Count - MaxOffenders} more"] : Array.Empty<string>()]);
}
