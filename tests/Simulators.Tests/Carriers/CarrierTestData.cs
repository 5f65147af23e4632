using LogisticsSync.Tests.Shared;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Carriers;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Tms;

namespace LogisticsSync.Simulators.Tests.Carriers;

/// <summary>Tenders and bookings for the carrier tests, at a fixed simulated "now".</summary>
internal static class CarrierTestData
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset PromisedBy = new(2026, 11, 26, 17, 0, 0, TimeSpan.Zero);

    public static CarrierIdentity ParcelFast { get; } = CarrierIdentity.For(ResourceNames.CarrierParcelFast,
        new CarrierOptions { ApiKey = TestPartnerKeys.CarrierParcelFast, WebhookSecret = TestPartnerKeys.CarrierParcelFastWebhookSecret });

    public static CarrierIdentity FreightLine { get; } = CarrierIdentity.For(ResourceNames.CarrierFreightLine,
        new CarrierOptions { ApiKey = TestPartnerKeys.CarrierFreightLine, WebhookSecret = TestPartnerKeys.CarrierFreightLineWebhookSecret });

    public static TenderRequest Tender(int n, string carrierId = "parcelfast", string serviceLevel = "standard", DateTimeOffset? promisedBy = null) => new(
        SeededRandom.Id(1, "tests.tenders", n.ToString(System.Globalization.CultureInfo.InvariantCulture)), SeededRandom.Id(1, "tests.shipments", n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        $"SO-test-{n:D6}", carrierId, serviceLevel, promisedBy ?? PromisedBy, new ShipToAddress("Kaufhaus Nord", "Hohe Straße 1", "Köln", "50667", "DE"), 4.2m);

    public static Booking Book(int seed, CarrierIdentity carrier, int n, DateTimeOffset? promisedBy = null)
    {
        var tender = Tender(n, carrier.Id, "standard", promisedBy);
        return Booking.Create(seed, carrier, carrier.Carrier.ServiceLevels.Single(l => l.Name == "standard"), tender, Now);
    }
}
