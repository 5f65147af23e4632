using System.Text.Json;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Erp;

namespace LogisticsSync.Simulators.Tests.Data;

public sealed class OrderGeneratorTests
{
    private const int Seed = 4242;
    private static readonly DateTimeOffset Epoch = new(2030, 1, 15, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Generate_SameSeedAndEpoch_GivesTheSameOrdersByteForByte()
    {
        var first = Generator(Seed);
        var second = Generator(Seed);

        for (var sequence = 1; sequence <= 50; sequence++)
        {
            Assert.Equal(ReleaseCommand.Serialize(first.Generate(sequence)), ReleaseCommand.Serialize(second.Generate(sequence)));
        }
    }

    [Fact]
    public void Generate_OrderDoesNotDependOnWhatWasGeneratedBefore()
    {
        var forwards = Generator(Seed);
        var backwards = Generator(Seed);
        var inOrder = Enumerable.Range(1, 20).Select(forwards.Generate).Select(ReleaseCommand.Serialize).ToList();

        var reversed = Enumerable.Range(1, 20).Reverse().Select(backwards.Generate).Select(ReleaseCommand.Serialize).Reverse().ToList();

        Assert.Equal(inOrder, reversed);
    }

    [Fact]
    public void Generate_OtherSeed_GivesOtherOrdersUnderOtherKeys()
    {
        var order = Generator(Seed).Generate(1);
        var other = Generator(Seed + 1).Generate(1);

        Assert.NotEqual(order.BusinessKey, other.BusinessKey);
        Assert.NotEqual(JsonSerializer.Serialize(order.Lines), JsonSerializer.Serialize(other.Lines));
    }

    [Fact]
    public void Generate_Orders_AreShapedLikeTheReleaseContract()
    {
        var orders = Enumerable.Range(1, 200).Select(Generator(Seed).Generate).ToList();

        Assert.Equal(200, orders.Select(o => o.BusinessKey).Distinct().Count());
        Assert.All(orders, order =>
        {
            Assert.Matches("^SO-[0-9a-f]{8}-[0-9]{6}$", order.BusinessKey);
            Assert.InRange(order.Lines.Count, 1, 5);
            Assert.All(order.Lines, line => Assert.InRange(line.Quantity, 1, 12));
            Assert.Equal(order.Lines.Count, order.Lines.Select(l => l.Sku.Code).Distinct().Count());
            Assert.Contains(order.ServiceLevel, new[] { "standard", "express", "economy" });
            Assert.Matches("^[A-Z]{2}$", order.ShipTo.Country);
        });
        Assert.Contains(orders, o => o.Lines.Count > 1);
        Assert.Contains(orders, o => o.ShipTo != o.Customer.Address);
        Assert.Equal(3, orders.Select(o => o.ServiceLevel).Distinct().Count());
    }

    [Fact]
    public void Generate_PromiseDates_CountFromTheEpochNotTheWallClock()
    {
        var order = Generator(Seed).Generate(3);

        var transit = MasterData.MaxTransitDays(order.ServiceLevel);
        Assert.Equal(new DateTimeOffset(2030, 1, 16 + transit, 17, 0, 0, TimeSpan.Zero), order.PromisedBy);
    }

    [Fact]
    public void BusinessKey_CarriesTheSeedAndSequence()
    {
        Assert.Equal("SO-00001092-000017", OrderGenerator.BusinessKey(Seed, 17));
    }

    private static OrderGenerator Generator(int seed) => new(MasterData.Generate(seed), seed, Epoch);
}
