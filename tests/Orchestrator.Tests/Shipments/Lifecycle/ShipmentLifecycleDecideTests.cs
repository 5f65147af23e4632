using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using By = LogisticsSync.Orchestrator.Shipments.Lifecycle.EstateSystem;
using On = LogisticsSync.Orchestrator.Shipments.Lifecycle.ShipmentMilestone;
using State = LogisticsSync.Orchestrator.Shipments.Lifecycle.ShipmentState;

namespace LogisticsSync.Orchestrator.Tests.Shipments.Lifecycle;

public sealed class ShipmentLifecycleDecideTests
{
    /// <summary>
    /// The expected decision for every (state, milestone) pair, written by hand from ARCHITECTURE.md §2
    /// so that Decide is checked against an independent reading, not against itself.
    /// R = a row of the table, applied as is; J = a forward jump, applied with skipped milestones;
    /// S = stale, nothing changes; X = rejected as an illegal transition.
    /// </summary>
    private static readonly Dictionary<State, string> ExpectedGrid = new()
    {
        //                         Rel Alc Pck Sht Pak Tnd TRj BDf Bkd InT Dly OFD Dlv DFl Inv Dsp Cls Cnc PoD
        [State.Planned] =         "R   J   J   J   J   J   J   J   J   J   J   J   J   J   J   J   J   R   J",
        [State.Released] =        "S   R   J   J   J   J   J   J   J   J   J   J   J   J   J   J   J   R   J",
        [State.Allocated] =       "S   S   R   R   J   J   J   J   J   J   J   J   J   J   J   J   J   R   J",
        [State.Picked] =          "S   S   S   S   R   J   J   J   J   J   J   J   J   J   J   J   J   R   J",
        [State.Packed] =          "S   S   S   S   S   R   J   R   J   J   J   J   J   J   J   J   J   R   J",
        [State.Tendered] =        "S   S   S   S   S   S   R   R   R   J   J   J   J   J   J   J   J   X   J",
        [State.Booked] =          "S   S   S   S   S   S   S   S   S   R   J   J   J   J   J   J   J   X   J",
        [State.InTransit] =       "S   S   S   S   S   S   S   S   S   S   R   R   J   J   J   J   J   X   J",
        [State.Delayed] =         "S   S   S   S   S   S   S   S   S   R   S   J   J   J   J   J   J   X   J",
        [State.OutForDelivery] =  "S   S   S   S   S   S   S   S   S   S   S   S   R   R   J   J   J   X   R",
        [State.Delivered] =       "S   S   S   S   S   S   S   S   S   S   S   S   S   S   R   J   J   X   R",
        [State.Invoiced] =        "S   S   S   S   S   S   S   S   S   S   S   S   S   S   S   R   R   X   S",
        [State.Closed] =          "S   S   S   S   S   S   S   S   S   S   S   S   S   S   S   S   S   X   S",
        [State.ShortShipped] =    "S   S   S   S   R   J   J   J   J   J   J   J   J   J   J   J   J   R   J",
        [State.TenderRejected] =  "S   S   S   S   S   R   S   R   J   J   J   J   J   J   J   J   J   R   J",
        [State.BookingDeferred] = "S   S   S   S   S   R   J   S   J   J   J   J   J   J   J   J   J   R   J",
        [State.DeliveryFailed] =  "S   S   S   S   S   S   S   S   S   S   S   R   J   S   J   J   J   X   J",
        [State.Disputed] =        "S   S   S   S   S   S   S   S   S   S   S   S   S   S   S   S   R   X   S",
        [State.Cancelled] =       "X   X   X   X   X   X   X   X   X   X   X   X   X   X   X   X   X   S   X",
    };

    public static TheoryData<State, On, char> EveryPair()
    {
        var data = new TheoryData<State, On, char>();
        foreach (var state in Enum.GetValues<State>())
        {
            var cells = ExpectedGrid[state].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var milestone in Enum.GetValues<On>())
            {
                data.Add(state, milestone, cells[(int)milestone][0]);
            }
        }

        return data;
    }

    public static TheoryData<State, On, By, State> Rows()
    {
        var data = new TheoryData<State, On, By, State>();
        foreach (var t in ShipmentLifecycle.Transitions)
        {
            data.Add(t.From, t.Milestone, t.Owner, t.To);
        }

        return data;
    }

    public static TheoryData<State, On, By> RowsByNonOwners()
    {
        var data = new TheoryData<State, On, By>();
        foreach (var t in ShipmentLifecycle.Transitions)
        {
            foreach (var source in Enum.GetValues<By>().Where(s => s != t.Owner))
            {
                data.Add(t.From, t.Milestone, source);
            }
        }

        return data;
    }

    [Fact]
    public void ExpectedGrid_EveryState_HasOneCellPerMilestone()
    {
        Assert.Equal(Enum.GetValues<State>().Order(), ExpectedGrid.Keys.Order());
        Assert.All(ExpectedGrid.Values, row => Assert.Equal(
            Enum.GetValues<On>().Length,
            row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(cell => cell is "R" or "J" or "S" or "X")));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decide_RowByItsOwner_AppliesToTarget(State from, On milestone, By owner, State to)
    {
        var applied = Assert.IsType<LifecycleDecision.Applied>(ShipmentLifecycle.Decide(from, milestone, owner));

        Assert.Equal(to, applied.To);
        Assert.Empty(applied.Skipped);
    }

    [Theory]
    [MemberData(nameof(RowsByNonOwners))]
    public void Decide_RowByNonOwner_RejectsNotOwner(State from, On milestone, By source)
    {
        var rejected = Assert.IsType<LifecycleDecision.Rejected>(ShipmentLifecycle.Decide(from, milestone, source));

        Assert.Equal(RejectionReason.NotOwner, rejected.Reason);
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Decide_EveryStateAndMilestone_MatchesExpectedGrid(State state, On milestone, char expected)
    {
        var owner = OwnerOf(milestone);
        var isRow = ShipmentLifecycle.Transitions.Any(t => t.From == state && t.Milestone == milestone);
        Assert.Equal(expected == 'R', isRow);

        if (expected is 'R' or 'J')
        {
            var applied = Assert.IsType<LifecycleDecision.Applied>(ShipmentLifecycle.Decide(state, milestone, owner));
            Assert.Equal(TargetOf(milestone), applied.To);
            if (expected == 'R')
            {
                Assert.Empty(applied.Skipped);
            }

            foreach (var source in Enum.GetValues<By>().Where(s => s != owner))
            {
                var rejected = Assert.IsType<LifecycleDecision.Rejected>(ShipmentLifecycle.Decide(state, milestone, source));
                Assert.Equal(RejectionReason.NotOwner, rejected.Reason);
            }

            return;
        }

        // Staleness and illegality do not depend on who sends the milestone.
        foreach (var source in Enum.GetValues<By>())
        {
            var decision = ShipmentLifecycle.Decide(state, milestone, source);
            if (expected == 'S')
            {
                Assert.IsType<LifecycleDecision.Stale>(decision);
            }
            else
            {
                Assert.Equal(RejectionReason.IllegalTransition, Assert.IsType<LifecycleDecision.Rejected>(decision).Reason);
            }
        }
    }

    [Theory]
    [InlineData(State.Released, On.Packed, By.Wms, State.Packed, new[] { On.Allocated, On.Picked })]
    [InlineData(State.Planned, On.Tendered, By.Tms, State.Tendered, new[] { On.Released, On.Allocated, On.Picked, On.Packed })]
    [InlineData(State.Released, On.ShortPicked, By.Wms, State.ShortShipped, new[] { On.Allocated })]
    [InlineData(State.ShortShipped, On.Tendered, By.Tms, State.Tendered, new[] { On.Packed })]
    [InlineData(State.Packed, On.TenderRejected, By.Tms, State.TenderRejected, new[] { On.Tendered })]
    [InlineData(State.BookingDeferred, On.Booked, By.Tms, State.Booked, new[] { On.Tendered })]
    [InlineData(State.Booked, On.OutForDelivery, By.Carrier, State.OutForDelivery, new[] { On.InTransit })]
    [InlineData(State.Booked, On.Delayed, By.Carrier, State.Delayed, new[] { On.InTransit })]
    [InlineData(State.Delayed, On.Delivered, By.Carrier, State.Delivered, new[] { On.OutForDelivery })]
    [InlineData(State.Delivered, On.Closed, By.Orchestrator, State.Closed, new[] { On.Invoiced })]
    // A side state already stands for its main-path position, so leaving it forwards skips nothing.
    [InlineData(State.Delayed, On.OutForDelivery, By.Carrier, State.OutForDelivery, new On[0])]
    [InlineData(State.DeliveryFailed, On.Delivered, By.Carrier, State.Delivered, new On[0])]
    // Proof of delivery stands in for Delivered: it overtakes the rest of the journey.
    [InlineData(State.InTransit, On.ProofOfDelivery, By.Carrier, State.Delivered, new[] { On.OutForDelivery })]
    [InlineData(State.Booked, On.ProofOfDelivery, By.Carrier, State.Delivered, new[] { On.InTransit, On.OutForDelivery })]
    public void Decide_MilestoneAheadOfState_JumpsForwardAndReportsSkipped(State current, On milestone, By owner, State to, On[] skipped)
    {
        var applied = Assert.IsType<LifecycleDecision.Applied>(ShipmentLifecycle.Decide(current, milestone, owner));

        Assert.Equal(to, applied.To);
        Assert.Equal(skipped, applied.Skipped);
    }

    [Theory]
    [InlineData(State.Released, On.Packed, By.Carrier)]
    [InlineData(State.Planned, On.Delivered, By.Tms)]
    [InlineData(State.Packed, On.Closed, By.Erp)]
    public void Decide_ForwardJumpByNonOwner_RejectsNotOwner(State current, On milestone, By source)
    {
        var rejected = Assert.IsType<LifecycleDecision.Rejected>(ShipmentLifecycle.Decide(current, milestone, source));

        Assert.Equal(RejectionReason.NotOwner, rejected.Reason);
    }

    [Theory]
    [InlineData(State.Packed, On.Picked)]
    [InlineData(State.Packed, On.Packed)]
    [InlineData(State.Picked, On.ShortPicked)]
    [InlineData(State.ShortShipped, On.Picked)]
    [InlineData(State.Booked, On.TenderRejected)]
    [InlineData(State.TenderRejected, On.TenderRejected)]
    [InlineData(State.Delayed, On.Delayed)]
    [InlineData(State.Delivered, On.OutForDelivery)]
    [InlineData(State.Disputed, On.Invoiced)]
    [InlineData(State.Invoiced, On.ProofOfDelivery)]
    [InlineData(State.Closed, On.Closed)]
    [InlineData(State.Cancelled, On.Cancelled)]
    public void Decide_LateOrDuplicateMilestone_IsStale(State current, On milestone)
    {
        Assert.IsType<LifecycleDecision.Stale>(ShipmentLifecycle.Decide(current, milestone, OwnerOf(milestone)));
    }

    [Theory]
    [InlineData(State.Tendered)]
    [InlineData(State.Booked)]
    [InlineData(State.InTransit)]
    [InlineData(State.Delayed)]
    [InlineData(State.Delivered)]
    [InlineData(State.Invoiced)]
    public void Decide_CancelOnceTendered_RejectsIllegalTransition(State current)
    {
        var rejected = Assert.IsType<LifecycleDecision.Rejected>(ShipmentLifecycle.Decide(current, On.Cancelled, By.Erp));

        Assert.Equal(RejectionReason.IllegalTransition, rejected.Reason);
    }

    /// <summary>Closed is the end of the main path: what arrives late (a carrier's proof of delivery resent) is stale there, as anywhere behind.</summary>
    [Fact]
    public void Decide_Closed_LateMilestonesAreStaleAndNothingMoves()
    {
        foreach (var milestone in Enum.GetValues<On>().Where(m => m != On.Cancelled))
        {
            Assert.IsType<LifecycleDecision.Stale>(ShipmentLifecycle.Decide(State.Closed, milestone, OwnerOf(milestone)));
        }
    }

    [Theory]
    [InlineData(State.Cancelled, On.Cancelled)]
    public void Decide_TerminalState_AcceptsNothingButItsOwnMilestoneAsStale(State terminal, On ownMilestone)
    {
        foreach (var milestone in Enum.GetValues<On>())
        {
            foreach (var source in Enum.GetValues<By>())
            {
                var decision = ShipmentLifecycle.Decide(terminal, milestone, source);
                if (milestone == ownMilestone)
                {
                    Assert.IsType<LifecycleDecision.Stale>(decision);
                }
                else
                {
                    Assert.Equal(RejectionReason.IllegalTransition, Assert.IsType<LifecycleDecision.Rejected>(decision).Reason);
                }
            }
        }
    }

    /// <summary>
    /// Property: any shuffle of the first k happy-path milestones, each sent by its owner, ends where
    /// the same milestones in order end, and accounts for every milestone exactly once — applied or
    /// recorded as skipped; its late arrival after being skipped is stale.
    /// </summary>
    [Fact]
    public void Decide_HappyPathMilestonesInAnyOrder_EndWhereInOrderEnds()
    {
        var happyPath = ShipmentLifecycle.MainPathMilestones;
        var random = new Random(20_240_607);

        for (var run = 0; run < 200; run++)
        {
            var count = random.Next(1, happyPath.Count + 1);
            var shuffled = happyPath.Take(count).ToArray();
            random.Shuffle(shuffled);

            var state = State.Planned;
            var accounted = new List<On>();
            foreach (var milestone in shuffled)
            {
                switch (ShipmentLifecycle.Decide(state, milestone, OwnerOf(milestone)))
                {
                    case LifecycleDecision.Applied applied:
                        accounted.AddRange(applied.Skipped);
                        accounted.Add(milestone);
                        state = applied.To;
                        break;
                    case LifecycleDecision.Stale:
                        break;
                    case LifecycleDecision.Rejected rejected:
                        // Only a closed shipment turns late milestones away; Closed already recorded them as skipped.
                        Assert.True(ShipmentLifecycle.IsTerminal(state), $"{milestone} rejected ({rejected.Reason}) in {state}; order: {string.Join(", ", shuffled)}");
                        break;
                }
            }

            Assert.Equal(ShipmentLifecycle.MainPath[count], state);
            Assert.Equal(happyPath.Take(count).Order(), accounted.Order());
        }
    }

    private static By OwnerOf(On milestone) => ShipmentLifecycle.Transitions.First(t => t.Milestone == milestone).Owner;

    private static State TargetOf(On milestone) => ShipmentLifecycle.Transitions.First(t => t.Milestone == milestone).To;
}
