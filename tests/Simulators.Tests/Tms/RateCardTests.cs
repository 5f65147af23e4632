using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Tms;

namespace LogisticsSync.Simulators.Tests.Tms;

public sealed class RateCardTests
{
    [Fact]
    public void Quote_SameSeedAndBusinessKey_SameQuotes_OtherKeyOrSeedOtherPrices()
    {
        var quote = RateCard.Quote(7, "SO-1", "standard", "FR", 3.5m);

        Assert.Equal(quote.Quotes, RateCard.Quote(7, "SO-1", "standard", "FR", 3.5m).Quotes);
        Assert.NotEqual(quote.Quotes, RateCard.Quote(7, "SO-2", "standard", "FR", 3.5m).Quotes);
        Assert.NotEqual(quote.Quotes, RateCard.Quote(8, "SO-1", "standard", "FR", 3.5m).Quotes);
    }

    [Fact]
    public void Quote_EveryCarrierOfferingTheLevel_CheapestFirst_TransitWithinTheLevel()
    {
        for (var n = 0; n < 200; n++)
        {
            var answer = RateCard.Quote(3, $"SO-{n}", "standard", "DE", 1 + n % 40);
            Assert.Equal(["freightline", "parcelfast"], answer.Quotes.Select(q => q.CarrierId).Order());
            Assert.Equal(answer.Quotes.OrderBy(q => q.Price).Select(q => q.Price), answer.Quotes.Select(q => q.Price));
            Assert.All(answer.Quotes, q =>
            {
                var level = MasterData.Carriers.Single(c => c.Id == q.CarrierId).ServiceLevels.Single(l => l.Name == "standard");
                Assert.InRange(q.TransitDays, level.MinTransitDays, level.MaxTransitDays);
                Assert.Equal(("EUR", "standard"), (q.Currency, q.ServiceLevel));
                Assert.True(q.Price > 0);
            });
        }

        // Only ParcelFast runs express.
        Assert.Equal(["parcelfast"], RateCard.Quote(3, "SO-1", "express", "DE", 2).Quotes.Select(q => q.CarrierId));
    }

    [Fact]
    public void Quote_HeavierAndFartherCostsMore()
    {
        static decimal Price(string country, decimal kg) => RateCard.Quote(5, "SO-9", "economy", country, kg).Quotes.Single(q => q.CarrierId == "parcelfast").Price;

        Assert.True(Price("DE", 20) > Price("DE", 2));
        Assert.True(Price("GB", 2) > Price("DE", 2));
    }
}
