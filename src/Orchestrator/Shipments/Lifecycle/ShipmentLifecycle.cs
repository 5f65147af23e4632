using System.Text;
using static LogisticsSync.Orchestrator.Shipments.Lifecycle.ShipmentState;
using By = LogisticsSync.Orchestrator.Shipments.Lifecycle.EstateSystem;
using On = LogisticsSync.Orchestrator.Shipments.Lifecycle.ShipmentMilestone;

namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>One row of the lifecycle: in state <paramref name="From"/>, <paramref name="Milestone"/> from <paramref name="Owner"/> leads to <paramref name="To"/>.</summary>
internal sealed record Transition(ShipmentState From, ShipmentMilestone Milestone, EstateSystem Owner, ShipmentState To);

/// <summary>
/// The shipment lifecycle of ARCHITECTURE.md §2 as one transition table. Everything else here —
/// decisions, forward jumps, staleness, the diagram in docs/lifecycle.md — is derived from it.
/// </summary>
internal static class ShipmentLifecycle
{
    public static IReadOnlyList<Transition> Transitions { get; } =
    [
        //  from             milestone               owner            to
        // ERP owns release, cancel and invoice.
        new(Planned,         On.Released,            By.Erp,          Released),
        new(Delivered,       On.Invoiced,            By.Erp,          Invoiced),
        // Cancel only while the goods are still ours to stop: not once a carrier has been tendered.
        new(Planned,         On.Cancelled,           By.Erp,          Cancelled),
        new(Released,        On.Cancelled,           By.Erp,          Cancelled),
        new(Allocated,       On.Cancelled,           By.Erp,          Cancelled),
        new(Picked,          On.Cancelled,           By.Erp,          Cancelled),
        new(Packed,          On.Cancelled,           By.Erp,          Cancelled),
        new(ShortShipped,    On.Cancelled,           By.Erp,          Cancelled),
        new(TenderRejected,  On.Cancelled,           By.Erp,          Cancelled),
        new(BookingDeferred, On.Cancelled,           By.Erp,          Cancelled),

        // WMS owns allocation, pick, pack and short-pick; a short shipment goes on with what was picked.
        new(Released,        On.Allocated,           By.Wms,          Allocated),
        new(Allocated,       On.Picked,              By.Wms,          Picked),
        new(Allocated,       On.ShortPicked,         By.Wms,          ShortShipped),
        new(Picked,          On.Packed,              By.Wms,          Packed),
        new(ShortShipped,    On.Packed,              By.Wms,          Packed),

        // TMS owns tender, rejection and booking: it speaks for the carriers until goods move.
        // A rejection is followed by a tender to the next carrier; a deferred booking is retried
        // by the orchestrator through TMS, so the retry lands as TMS's Tendered too.
        new(Packed,          On.Tendered,            By.Tms,          Tendered),
        new(Tendered,        On.TenderRejected,      By.Tms,          TenderRejected),
        new(TenderRejected,  On.Tendered,            By.Tms,          Tendered),
        new(BookingDeferred, On.Tendered,            By.Tms,          Tendered),
        new(Tendered,        On.Booked,              By.Tms,          Booked),

        // Carriers own the transport milestones and proof of delivery (Delivered).
        new(Booked,          On.InTransit,           By.Carrier,      InTransit),
        new(InTransit,       On.Delayed,             By.Carrier,      Delayed),
        new(Delayed,         On.InTransit,           By.Carrier,      InTransit),
        new(InTransit,       On.OutForDelivery,      By.Carrier,      OutForDelivery),
        new(OutForDelivery,  On.Delivered,           By.Carrier,      Delivered),
        new(OutForDelivery,  On.DeliveryFailed,      By.Carrier,      DeliveryFailed),
        new(DeliveryFailed,  On.OutForDelivery,      By.Carrier,      OutForDelivery),
        // Proof of delivery ends the delivery when it overtakes Delivered, and comes after it as the
        // documents catch up (the self-row): either way it is what triggers the invoice.
        new(OutForDelivery,  On.ProofOfDelivery,     By.Carrier,      Delivered),
        new(Delivered,       On.ProofOfDelivery,     By.Carrier,      Delivered),

        // The orchestrator owns exceptions and closure. It defers a booking when TMS or every
        // carrier is unavailable (a parked, visible exception) and opens and settles disputes.
        // From Tendered too: when TMS fails mid-tender the answer is unknown, and the retry repeats that tender.
        new(Packed,          On.BookingDeferred,     By.Orchestrator, BookingDeferred),
        new(TenderRejected,  On.BookingDeferred,     By.Orchestrator, BookingDeferred),
        new(Tendered,        On.BookingDeferred,     By.Orchestrator, BookingDeferred),
        new(Invoiced,        On.Disputed,            By.Orchestrator, Disputed),
        new(Invoiced,        On.Closed,              By.Orchestrator, Closed),
        new(Disputed,        On.Closed,              By.Orchestrator, Closed),
    ];

    /// <summary>
    /// What an applied milestone causes besides the state change, in the same transaction as the change: the work and
    /// the exceptions exist exactly when the change that causes them does. Every task is created once per shipment
    /// and kind, so a repeated or later milestone adds nothing. Rendered into docs/lifecycle.md with the table above.
    /// </summary>
    public static IReadOnlyList<TransitionReaction> Reactions { get; } =
    [
        //  when                                  then
        new(When.Entering(Packed),                SideEffect.Tender,
            "order-to-ship: only a packed shipment is tendered"),
        new(When.ReportedBy(By.Carrier),          SideEffect.PostGoodsIssue,
            "deliver-to-cash: the first carrier milestone means the goods left, whichever it is (a forward jump past InTransit too)"),
        new(When.Applied(On.ProofOfDelivery),     SideEffect.TriggerInvoice,
            "deliver-to-cash: proof of delivery triggers the invoice (posted once the goods issue is)"),
        new(When.Entering(Cancelled),             SideEffect.ResolveBookingDeferred,
            "a cancelled shipment needs no booking any more: its deferred booking is no one's problem now"),
        new(When.Applied(On.Delayed),             SideEffect.OpenDeliveryLateIfPastPromise,
            "ship-to-deliver: a delay whose revised ETA breaks the promise is customer service's to handle"),
        new(When.Entering(Released),              SideEffect.ArmPromiseTimer,
            "the release's promise date is a durable timer: not delivered by then opens DeliveryLate"),
        new(When.Entering(Delivered),             SideEffect.CancelPromiseTimer,
            "the promise is kept (or was breached and is customer service's already); a cancelled shipment's fires into nothing"),
        new(When.AnyMilestone(),                  SideEffect.ReplaceDwellTimer,
            "each state has its dwell limit (Timers:DwellLimits): progress replaces the timer, a state without one cancels it"),
        new(When.AnyMilestone(),                  SideEffect.ResolveShipmentStuck,
            "a stuck shipment that moved on is no longer stuck"),
        new(When.Entering(Invoiced),              SideEffect.CloseIfNothingOpen,
            "closure: invoiced with no open exception and no pending work closes at once; else when the last one is resolved"),
    ];

    /// <summary>The side effects an applied milestone causes, in table order.</summary>
    public static IEnumerable<SideEffect> SideEffectsOf(ShipmentState to, ShipmentMilestone milestone, EstateSystem source) =>
        Reactions.Where(r => r.Trigger.Matches(to, milestone, source)).Select(r => r.Then);

    /// <summary>The happy path; out-of-order milestones are judged by their position on it.</summary>
    public static IReadOnlyList<ShipmentState> MainPath { get; } =
        [Planned, Released, Allocated, Picked, Packed, Tendered, Booked, InTransit, OutForDelivery, Delivered, Invoiced, Closed];

    /// <summary>
    /// Where each side state sits on the main path: the furthest main-path milestone that has
    /// really happened. A tender rejection sits at Tendered (a tender did happen), so a rejection
    /// that overtakes its own Tendered still counts, while one arriving after Booked is stale.
    /// </summary>
    public static IReadOnlyDictionary<ShipmentState, ShipmentState> SideStatePositions { get; } = new Dictionary<ShipmentState, ShipmentState>
    {
        [ShortShipped] = Picked,
        [TenderRejected] = Tendered,
        [BookingDeferred] = Packed,
        [Delayed] = InTransit,
        [DeliveryFailed] = OutForDelivery,
        [Disputed] = Invoiced,
    };

    /// <summary>
    /// The milestones of the happy path, in order, read off the table: the first row joining two
    /// consecutive states (OutForDelivery → Delivered is Delivered's; ProofOfDelivery, later in the
    /// table, may stand in for it).
    /// </summary>
    public static IReadOnlyList<ShipmentMilestone> MainPathMilestones { get; } =
        [.. MainPath.Zip(MainPath.Skip(1), (from, to) => Transitions.First(t => t.From == from && t.To == to).Milestone)];

    public static bool IsTerminal(ShipmentState state) => Transitions.All(t => t.From != state);

    /// <summary>
    /// The main-path milestone that leads into <paramref name="state"/> (a main-path state after Planned). Trail reads
    /// count a state as reached by this milestone's skipped row too: a forward jump names the milestone, not a state.
    /// </summary>
    public static ShipmentMilestone MilestoneInto(ShipmentState state)
    {
        var position = MainPath.ToList().IndexOf(state);
        return position > 0
            ? MainPathMilestones[position - 1]
            : throw new ArgumentOutOfRangeException(nameof(state), state, "Only a main-path state after Planned has a milestone into it.");
    }

    /// <summary>
    /// Judges one milestone, in this order: a row from <paramref name="current"/> applies as is (rows
    /// come first because some, like Delayed → InTransit, do not move forward on the main path); else
    /// a row from a main-path state at or ahead of the current position, leading further ahead, is a
    /// forward jump; else a milestone whose target is at or behind the current position is stale;
    /// anything else is illegal. Ownership is checked only where something would be applied.
    /// </summary>
    public static LifecycleDecision Decide(ShipmentState current, ShipmentMilestone milestone, EstateSystem source)
    {
        var rows = Transitions.Where(t => t.Milestone == milestone).ToList();

        // Closed sits on the main path, so a late milestone there is stale like anywhere else; Cancelled does not.
        if (IsTerminal(current) && PositionOf(current) is null)
        {
            // Only the milestone that ended the lifecycle may come again, as a duplicate.
            return rows.Any(t => t.To == current) ? new LifecycleDecision.Stale() : Illegal;
        }

        var direct = rows.Where(t => t.From == current).ToList();
        if (direct.Count > 0)
        {
            var owned = direct.Find(t => t.Owner == source);
            return owned is null ? NotOwner : new LifecycleDecision.Applied(owned.To, []);
        }

        // Positions of Cancelled (the only state off the main path without one) are null, and
        // lifted comparisons with null are false: a cancel is never a jump and never stale.
        var position = PositionOf(current);
        var jumps = rows
            .Where(t => MainPath.Contains(t.From) && PositionOf(t.From) >= position && PositionOf(t.To) > position)
            .OrderBy(t => PositionOf(t.From))
            .ToList();
        if (jumps.Count > 0)
        {
            var owned = jumps.Find(t => t.Owner == source);
            return owned is null ? NotOwner : new LifecycleDecision.Applied(owned.To, SkippedBetween(position!.Value, PositionOf(owned.From)!.Value));
        }

        return rows.Any(t => PositionOf(t.To) <= position) ? new LifecycleDecision.Stale() : Illegal;
    }

    /// <summary>
    /// The system a shipment in <paramref name="state"/> waits on: the owner of the row out of it that leads furthest
    /// along the main path (the orchestrator's own detours and the ERP's cancel aside). Null for terminal states.
    /// </summary>
    public static EstateSystem? WaitingOn(ShipmentState state) =>
        Transitions
            .Where(t => t.From == state && t.Owner != EstateSystem.Orchestrator && PositionOf(t.To) is not null)
            .OrderByDescending(t => PositionOf(t.To))
            .Select(t => (EstateSystem?)t.Owner)
            .FirstOrDefault();

    /// <summary>Whether a shipment in <paramref name="current"/> is at or past <paramref name="target"/> on the main path (never for Cancelled).</summary>
    public static bool Reached(ShipmentState current, ShipmentState target) => PositionOf(current) >= PositionOf(target);

    /// <summary>The reactions as a Markdown table: when, then, why.</summary>
    public static string ReactionCatalogue()
    {
        var text = new StringBuilder()
            .Append("| when | then | why |\n")
            .Append("|---|---|---|\n");
        foreach (var reaction in Reactions)
        {
            text.Append("| ").Append(reaction.Trigger).Append(" | ").Append(reaction.Then).Append(" | ").Append(reaction.Why).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>The event catalogue as a Markdown table: every milestone's CloudEvents type, its owner and the transitions it drives.</summary>
    public static string EventCatalogue()
    {
        var text = new StringBuilder()
            .Append("| CloudEvents type | milestone | owner | transitions |\n")
            .Append("|---|---|---|---|\n");
        foreach (var group in Transitions.GroupBy(t => t.Milestone))
        {
            text.Append("| `").Append(group.Key.CloudEventType()).Append("` | ").Append(group.Key)
                .Append(" | ").Append(string.Join(", ", group.Select(t => t.Owner).Distinct()))
                .Append(" | ").Append(string.Join(", ", group.Select(t => $"{t.From} → {t.To}")))
                .Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>The table as a Mermaid <c>stateDiagram-v2</c>, edges labelled <c>milestone (owner)</c>.</summary>
    public static string ToMermaid()
    {
        var diagram = new StringBuilder().Append("stateDiagram-v2\n");
        diagram.Append($"    [*] --> {MainPath[0]}\n");
        foreach (var t in Transitions)
        {
            diagram.Append($"    {t.From} --> {t.To} : {t.Milestone} ({t.Owner})\n");
        }

        foreach (var state in Enum.GetValues<ShipmentState>().Where(IsTerminal))
        {
            diagram.Append($"    {state} --> [*]\n");
        }

        return diagram.ToString();
    }

    private static LifecycleDecision.Rejected NotOwner { get; } = new(RejectionReason.NotOwner);

    private static LifecycleDecision.Rejected Illegal { get; } = new(RejectionReason.IllegalTransition);

    private static int? PositionOf(ShipmentState state)
    {
        var onPath = SideStatePositions.GetValueOrDefault(state, state);
        var index = MainPath.TakeWhile(s => s != onPath).Count();
        return index < MainPath.Count ? index : null;
    }

    /// <summary>The main-path milestones after position <paramref name="from"/> up to and including the one into <paramref name="upTo"/>.</summary>
    private static ShipmentMilestone[] SkippedBetween(int from, int upTo) => [.. MainPathMilestones.Take(upTo).Skip(from)];
}
