using System.Text.Json;
using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Tests.Data;

public sealed class MasterDataTests
{
    private static readonly string[] Countries = ["DE", "NL", "FR", "PL", "AT", "GB"];

    [Fact]
    public void Generate_SameSeed_GivesTheSameWorld()
    {
        Assert.Equal(Json(MasterData.Generate(20261123)), Json(MasterData.Generate(20261123)));
    }

    [Fact]
    public void Generate_OtherSeed_GivesAnotherWorld()
    {
        var first = MasterData.Generate(1);
        var second = MasterData.Generate(2);

        Assert.NotEqual(Json(first.Customers), Json(second.Customers));
        Assert.NotEqual(Json(first.Skus), Json(second.Skus));
    }

    [Fact]
    public void Generate_Customers_HaveNamesAndAddressesInTheirMarketsLocales()
    {
        var data = MasterData.Generate(7);

        Assert.Equal(MasterData.DefaultCustomers, data.Customers.Count);
        Assert.Equal(data.Customers.Count, data.Customers.Select(c => c.Id).Distinct().Count());
        Assert.All(data.Customers, customer =>
        {
            Assert.False(string.IsNullOrWhiteSpace(customer.Name));
            Assert.Contains(customer.Address.Country, Countries);
            Assert.False(string.IsNullOrWhiteSpace(customer.Address.Street));
            Assert.False(string.IsNullOrWhiteSpace(customer.Address.City));
            Assert.False(string.IsNullOrWhiteSpace(customer.Address.PostalCode));
        });
        // The market weights put most customers in Germany, but not all of them.
        var german = data.Customers.Count(c => c.Address.Country == "DE");
        Assert.InRange(german, 10, data.Customers.Count - 10);
    }

    [Fact]
    public void Generate_Skus_HaveWeightsAndDimensions_MostlySmallSomeBulky()
    {
        var data = MasterData.Generate(7);

        Assert.Equal(MasterData.DefaultSkus, data.Skus.Count);
        Assert.Equal(data.Skus.Count, data.Skus.Select(s => s.Code).Distinct().Count());
        Assert.All(data.Skus, sku =>
        {
            Assert.InRange(sku.WeightKg, 0.05m, 45m);
            Assert.True(sku.Dimensions is { LengthCm: > 0, WidthCm: > 0, HeightCm: > 0 });
            Assert.False(string.IsNullOrWhiteSpace(sku.Description));
        });
        var bulky = data.Skus.Count(s => s.WeightKg >= 8m);
        Assert.InRange(bulky, 1, data.Skus.Count / 4);
    }

    [Fact]
    public void Carriers_OfferServiceLevelsWithTransitTimes()
    {
        Assert.Equal(["parcelfast", "freightline"], MasterData.Carriers.Select(c => c.Id));
        Assert.All(MasterData.Carriers.SelectMany(c => c.ServiceLevels), level => Assert.InRange(level.MinTransitDays, 1, level.MaxTransitDays));
        Assert.Equal(8, MasterData.MaxTransitDays("economy"));
    }

    [Fact]
    public void Generate_Warehouses_AreGermanDistributionCentres()
    {
        var warehouses = MasterData.Generate(7).Warehouses;

        Assert.Equal(["WH-HAM", "WH-DUS", "WH-MUC"], warehouses.Select(w => w.Code));
        Assert.All(warehouses, w => Assert.Equal("DE", w.Address.Country));
    }

    internal static string Json(object value) => JsonSerializer.Serialize(value);
}
