using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Wms;

namespace LogisticsSync.Simulators.Tests.Wms;

public sealed class FulfilmentPlanTests
{
    private static readonly WmsOptions Options = new();

    [Fact]
    public void For_SameSeedAndOrder_GivesTheSameTimingsFaultsAndEventIds()
    {
        var faults = new FaultProfile { ShortPickRate = 0.3, DuplicateRate = 0.3, ReorderRate = 0.3, LateConfirmationRate = 0.3 };

        var plans = Enumerable.Range(1, 50).Select(i => FulfilmentPlan.For(11, $"erp/SO-{i}", Options, faults)).ToList();
        var again = Enumerable.Range(1, 50).Select(i => FulfilmentPlan.For(11, $"erp/SO-{i}", Options, faults)).ToList();

        Assert.Equal(plans.Select(Describe), again.Select(Describe));
        Assert.NotEqual(plans.Select(Describe), Enumerable.Range(1, 50).Select(i => Describe(FulfilmentPlan.For(12, $"erp/SO-{i}", Options, faults))));
    }

    [Fact]
    public void For_NoFaults_AllocatesPicksAndPacksInOrderWithinTheConfiguredTimes()
    {
        var plan = FulfilmentPlan.For(11, "erp/SO-1", Options, new FaultProfile());

        Assert.Equal(["allocated", "picked", "packed"], plan.Confirmations.Select(c => c.Milestone));
        Assert.InRange(plan.Confirmations[0].After, Options.Allocation.Min, Options.Allocation.Max);
        Assert.InRange(plan.Confirmations[1].After, Options.Picking.Min, Options.Picking.Max);
        Assert.InRange(plan.Confirmations[2].After, Options.Packing.Min, Options.Packing.Max);
        Assert.DoesNotContain(plan.Confirmations, c => c.SendTwice);
        Assert.Equal(3, plan.Confirmations.Select(c => c.EventId).Distinct().Count());
    }

    [Fact]
    public void For_EveryFault_ShortPicksLateReorderedAndTwice()
    {
        var plan = FulfilmentPlan.For(11, "erp/SO-1", Options, new FaultProfile { ShortPickRate = 1, DuplicateRate = 1, ReorderRate = 1, LateConfirmationRate = 1 });

        Assert.Equal(["allocated", "packed", "short-picked"], plan.Confirmations.Select(c => c.Milestone));
        Assert.True(plan.ShortPicked && plan.Reordered && plan.LateConfirmation);
        Assert.All(plan.Confirmations, c => Assert.True(c.SendTwice));
        Assert.True(plan.Confirmations[1].After >= Options.Picking.Min + Options.LateConfirmation.Min + Options.Packing.Min);
        Assert.Equal(Options.ReorderedConfirmationDelay, plan.Confirmations[2].After);
    }

    [Fact]
    public void For_ShortPickRate_IsMetOverManyOrders()
    {
        var faults = new FaultProfile { ShortPickRate = 0.1 };

        var shortPicked = Enumerable.Range(1, 2000).Count(i => FulfilmentPlan.For(3, $"erp/SO-{i}", Options, faults).ShortPicked);

        Assert.InRange(shortPicked, 150, 250);
    }

    private static string Describe(FulfilmentPlan plan) =>
        string.Join(";", plan.Confirmations.Select(c => $"{c.Milestone}@{c.After.Ticks}#{c.EventId}{(c.SendTwice ? "x2" : "")}"));
}
