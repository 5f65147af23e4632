using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using State = LogisticsSync.Orchestrator.Shipments.Lifecycle.ShipmentState;

namespace LogisticsSync.Orchestrator.Tests.Shipments.Lifecycle;

/// <summary>Sanity of the table itself, independent of how Decide reads it.</summary>
public sealed class ShipmentLifecycleTableTests
{
    private static readonly IReadOnlyList<Transition> Table = ShipmentLifecycle.Transitions;

    [Fact]
    public void Transitions_FromPlanned_ReachEveryState()
    {
        Assert.Equal(Enum.GetValues<State>().Order(), ReachableFrom(State.Planned).Order());
    }

    [Fact]
    public void Transitions_TerminalStates_AreClosedAndCancelledOnly()
    {
        Assert.Equal([State.Closed, State.Cancelled], Enum.GetValues<State>().Where(ShipmentLifecycle.IsTerminal));
    }

    [Fact]
    public void Transitions_EveryNonTerminalState_HasAWayOutToATerminal()
    {
        Assert.All(
            Enum.GetValues<State>().Where(s => !ShipmentLifecycle.IsTerminal(s)),
            state => Assert.Contains(ReachableFrom(state), ShipmentLifecycle.IsTerminal));
    }

    [Fact]
    public void Transitions_EachMilestone_HasOneOwnerAndOneTarget()
    {
        // Ownership per milestone, not per row, is what §2 states ("ERP owns release, cancel, invoice"),
        // and one target per milestone is what lets Decide judge a milestone as stale or ahead.
        Assert.All(Enum.GetValues<ShipmentMilestone>(), milestone =>
        {
            var rows = Table.Where(t => t.Milestone == milestone).ToList();
            Assert.NotEmpty(rows);
            Assert.Single(rows.Select(t => t.Owner).Distinct());
            Assert.Single(rows.Select(t => t.To).Distinct());
        });
    }

    [Fact]
    public void Transitions_StateAndMilestone_AppearInOneRowAtMost()
    {
        Assert.Empty(Table.GroupBy(t => (t.From, t.Milestone)).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void MainPath_ConsecutiveStates_AreJoinedByOneRowButDeliveryByTwo()
    {
        var path = ShipmentLifecycle.MainPath;
        for (var i = 1; i < path.Count; i++)
        {
            var rows = Table.Where(t => t.From == path[i - 1] && t.To == path[i]).Select(t => t.Milestone).ToList();
            // Proof of delivery may end a delivery whose Delivered it overtook; Delivered stays the main-path milestone.
            ShipmentMilestone[] expected = path[i] == State.Delivered
                ? [ShipmentMilestone.Delivered, ShipmentMilestone.ProofOfDelivery]
                : [ShipmentLifecycle.MainPathMilestones[i - 1]];
            Assert.Equal(expected, rows);
        }

        Assert.Equal(path.Count - 1, ShipmentLifecycle.MainPathMilestones.Count);
    }

    [Fact]
    public void SideStatePositions_EveryStateOffTheMainPathButCancelled_IsPlacedOnIt()
    {
        var offPath = Enum.GetValues<State>().Except(ShipmentLifecycle.MainPath).Except([State.Cancelled]);

        Assert.Equal(offPath.Order(), ShipmentLifecycle.SideStatePositions.Keys.Order());
        Assert.All(ShipmentLifecycle.SideStatePositions.Values, anchor => Assert.Contains(anchor, ShipmentLifecycle.MainPath));
    }

    [Fact]
    public void Reactions_EverySideEffect_IsDeclaredOnce()
    {
        Assert.Equal(Enum.GetValues<SideEffect>(), ShipmentLifecycle.Reactions.Select(r => r.Then).Order());
    }

    [Fact]
    public void Reactions_EveryTrigger_CanFire()
    {
        // A trigger no transition can satisfy is a side effect that silently never happens.
        Assert.All(ShipmentLifecycle.Reactions, reaction => Assert.Contains(Table, t => reaction.Trigger.Matches(t.To, t.Milestone, t.Owner)));
    }

    private static HashSet<State> ReachableFrom(State start)
    {
        var reached = new HashSet<State> { start };
        var frontier = new Queue<State>([start]);
        while (frontier.TryDequeue(out var state))
        {
            foreach (var next in Table.Where(t => t.From == state).Select(t => t.To))
            {
                if (reached.Add(next))
                {
                    frontier.Enqueue(next);
                }
            }
        }

        return reached;
    }
}
