using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Tests.Data;

public sealed class SeededRandomTests
{
    [Fact]
    public void For_SameSeedStreamAndKey_GivesTheSameSequence()
    {
        var first = SeededRandom.For(5, "wms.timings", "erp/SO-1");
        var second = SeededRandom.For(5, "wms.timings", "erp/SO-1");

        Assert.Equal(Enumerable.Range(0, 10).Select(_ => first.Next()), Enumerable.Range(0, 10).Select(_ => second.Next()));
    }

    [Fact]
    public void For_OtherStreamOrKey_GivesAnIndependentSequence()
    {
        var seed = SeededRandom.DeriveSeed(5, "wms.timings", "erp/SO-1");

        Assert.NotEqual(seed, SeededRandom.DeriveSeed(5, "wms.faults", "erp/SO-1"));
        Assert.NotEqual(seed, SeededRandom.DeriveSeed(5, "wms.timings", "erp/SO-2"));
        Assert.NotEqual(seed, SeededRandom.DeriveSeed(6, "wms.timings", "erp/SO-1"));
    }

    [Fact]
    public void Id_IsStableAndAVersion8Uuid()
    {
        var id = SeededRandom.Id(5, "erp.idempotency", "SO-1");

        Assert.Equal(id, SeededRandom.Id(5, "erp.idempotency", "SO-1"));
        Assert.NotEqual(id, SeededRandom.Id(5, "erp.idempotency", "SO-2"));
        Assert.Equal(8, id.Version);
    }

    [Fact]
    public void Unit_IsUniformOverManyKeys()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => SeededRandom.Unit(1, "test", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Assert.All(values, v => Assert.InRange(v, 0.0, 0.9999999999));
        Assert.InRange(values.Count(v => v < 0.2), 1_850, 2_150);
    }
}
