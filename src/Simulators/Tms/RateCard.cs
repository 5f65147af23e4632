using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Tms;

/// <summary>One carrier's offer for a shipment (docs/flows.md: <c>GET /tms/api/rates</c>).</summary>
public sealed record RateQuote(string CarrierId, string ServiceLevel, decimal Price, string Currency, int TransitDays);

public sealed record RatesAnswer(string BusinessKey, IReadOnlyList<RateQuote> Quotes);

/// <summary>
/// The TMS's rate card: every carrier that offers the service level quotes a price from its tariff (base per
/// level, per kilogram, per destination country) with a variation and a transit time drawn from the seed and the
/// business key, so the same shipment is quoted the same on every call and every run, cheapest first.
/// </summary>
internal static class RateCard
{
    public const string Currency = "EUR";

    private static readonly Dictionary<string, decimal> BasePrice = new(StringComparer.Ordinal)
    {
        [ServiceDefaults.Protocol.ServiceLevels.Express] = 14.90m, [ServiceDefaults.Protocol.ServiceLevels.Standard] = 7.50m, [ServiceDefaults.Protocol.ServiceLevels.Economy] = 5.20m,
    };

    // Parcel carriers are dear by the kilogram, freight forwarders by the stop.
    private static readonly Dictionary<string, (decimal Base, decimal PerKg)> Tariff = new(StringComparer.Ordinal)
    {
        [CarrierId.ParcelFastValue] = (1.00m, 0.45m), [CarrierId.FreightLineValue] = (1.35m, 0.18m),
    };

    private static readonly Dictionary<string, decimal> CountrySurcharge = new(StringComparer.Ordinal)
    {
        ["DE"] = 0m, ["AT"] = 2.40m, ["NL"] = 2.60m, ["FR"] = 3.80m, ["PL"] = 3.20m, ["GB"] = 6.90m,
    };

    private const decimal OtherCountrySurcharge = 9.50m;

    public static IReadOnlyCollection<string> ServiceLevels => BasePrice.Keys;

    public static RatesAnswer Quote(int seed, string businessKey, string serviceLevel, string country, decimal weightKg)
    {
        var quotes = MasterData.Carriers
            .Select(carrier => (Carrier: carrier, Level: carrier.ServiceLevels.FirstOrDefault(l => l.Name == serviceLevel)))
            .Where(offer => offer.Level is not null)
            .Select(offer =>
            {
                var random = SeededRandom.For(seed, "tms.rates", $"{offer.Carrier.Id}/{businessKey}/{serviceLevel}");
                var (baseFactor, perKg) = Tariff[offer.Carrier.Id];
                var list = BasePrice[serviceLevel] * baseFactor + perKg * weightKg + CountrySurcharge.GetValueOrDefault(country, OtherCountrySurcharge);
                // ±8 %: fuel surcharges, lane imbalance, the carrier's mood.
                var variation = 0.92m + (decimal)random.NextDouble() * 0.16m;
                var transitDays = random.Next(offer.Level!.MinTransitDays, offer.Level.MaxTransitDays + 1);
                return new RateQuote(offer.Carrier.Id, serviceLevel, Math.Round(list * variation, 2), Currency, transitDays);
            })
            .OrderBy(quote => quote.Price)
            .ThenBy(quote => quote.CarrierId, StringComparer.Ordinal)
            .ToList();
        return new RatesAnswer(businessKey, quotes);
    }
}
