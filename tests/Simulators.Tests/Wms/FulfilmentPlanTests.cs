using System.Text.Json;
using LogisticsSync.Simulators.Data;
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

    [Fact]
    public void For_DamagedLines_AreShortPicks_ReportedLineByLineInThePickAndPackConfirmations()
    {
        var lines = Lines(20);

        var plan = FulfilmentPlan.For(11, "erp/SO-20", Options, new FaultProfile { DamagedLineRate = 1 }, lines);

        Assert.True(plan.ShortPicked);
        Assert.Equal(["allocated", "short-picked", "packed"], plan.Confirmations.Select(c => c.Milestone));
        Assert.All(plan.Lines, l => Assert.Equal((l.Ordered - 1, PickedLine.Damaged), (l.Picked, l.Exception)));
        var pick = JsonSerializer.SerializeToElement(plan.Detail("short-picked"), JsonSerializerOptions.Web);
        Assert.Equal(lines.Select(l => l.Sku.Code), pick.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("sku").GetString()));
        Assert.All(pick.GetProperty("lines").EnumerateArray(), l => Assert.Equal("damaged", l.GetProperty("exception").GetString()));
        var pack = JsonSerializer.SerializeToElement(plan.Detail("packed"), JsonSerializerOptions.Web);
        Assert.Equal(plan.Lines.Select(l => l.Picked), pack.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("packed").GetInt32()));
        Assert.Null(plan.Detail("allocated"));
    }

    [Fact]
    public void For_SplitLines_OnlyOfTwoOrMoreUnits_EachAnotherPackage()
    {
        var plans = Enumerable.Range(1, 300).Select(n => FulfilmentPlan.For(11, $"erp/SO-{n}", Options, new FaultProfile { SplitLineRate = 0.5 }, Lines(n))).ToList();

        var lines = plans.SelectMany(p => p.Lines).ToList();
        Assert.All(lines.Where(l => l.Packages > 1), l => Assert.True(l.Ordered > 1));
        Assert.InRange(lines.Count(l => l.Packages > 1) / (double)lines.Count(l => l.Ordered > 1), 0.4, 0.6);
        Assert.All(plans, p => Assert.Equal(1 + p.Lines.Count(l => l.Packages == 2), p.Packages));
        Assert.All(plans, p => Assert.False(p.ShortPicked));
    }

    [Fact]
    public void For_ShortPickDrawn_OneLineIsShortAsNotFound()
    {
        var plan = FulfilmentPlan.For(11, "erp/SO-7", Options, new FaultProfile { ShortPickRate = 1 }, Lines(7));

        Assert.Single(plan.Lines, l => l.Exception == PickedLine.NotFound && l.Picked == l.Ordered - 1);
    }

    [Fact]
    public void LinesOf_ThisSeedsOrder_AreTheErpOrdersLines_OtherKeysStable()
    {
        var master = MasterData.Generate(11);
        var order = new OrderGenerator(master, 11, DateTimeOffset.Parse("2026-11-23T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture)).Generate(42);

        Assert.Equal(order.Lines, WarehouseOrders.LinesOf(master, 11, order.BusinessKey));
        Assert.Equal(WarehouseOrders.LinesOf(master, 11, "SO-by-hand-1"), WarehouseOrders.LinesOf(master, 11, "SO-by-hand-1"));
        Assert.NotEmpty(WarehouseOrders.LinesOf(master, 11, "SO-by-hand-1"));
    }

    private static IReadOnlyList<OrderLine> Lines(int sequence) =>
        WarehouseOrders.LinesOf(Master, 11, OrderGenerator.BusinessKey(11, sequence));

    private static readonly MasterData Master = MasterData.Generate(11);

    private static string Describe(FulfilmentPlan plan) =>
        string.Join(";", plan.Confirmations.Select(c => $"{c.Milestone}@{c.After.Ticks}#{c.EventId}{(c.SendTwice ? "x2" : "")}"));
}
