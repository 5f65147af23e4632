using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using LogisticsSync.Simulators.Tms;
using Wire = LogisticsSync.ServiceDefaults.Protocol.Tendering;

namespace LogisticsSync.Simulators.Tests.Tms;

/// <summary>The TMS simulator keeps its own DTOs (a partner the orchestrator does not own); these pin them to the orchestrator's.</summary>
public sealed class TenderContractTests
{
    private static readonly Guid TenderId = Guid.Parse("0190a7b0-0000-7000-8000-000000000001");
    private static readonly Guid ShipmentId = Guid.Parse("0190a7b0-0000-7000-8000-000000000002");
    private static readonly DateTimeOffset Promised = new(2026, 11, 26, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TenderRequest_BothSides_RoundTrip()
    {
        ContractAssert.RoundTrips(
            new TenderRequest(TenderId, ShipmentId, "SO-1", "parcelfast", "standard", Promised, new ShipToAddress("Nord", "Hohe Straße 1", "Köln", "50667", "DE"), 4.2m),
            new Wire.TenderRequest(TenderId, ShipmentId, "SO-1", "parcelfast", "standard", Promised, new Address("Nord", "Hohe Straße 1", "Köln", "50667", "DE"), 4.2m));
    }

    [Fact]
    public void TenderAnswer_BothSides_RoundTrip()
    {
        ContractAssert.RoundTrips(
            new TenderAnswer(TenderId, "parcelfast", TenderAnswer.Booked, "PF-B-1", "PF123", "https://labels/1", Promised, "why", 3),
            new Wire.TenderAnswer(TenderId, "parcelfast", Wire.TenderAnswer.Booked, "PF-B-1", "PF123", "https://labels/1", Promised, "why", 3));
    }

    [Theory]
    [InlineData(TenderAnswer.Booked, Wire.TenderAnswer.Booked)]
    [InlineData(TenderAnswer.Rejected, Wire.TenderAnswer.Rejected)]
    [InlineData(TenderAnswer.Unavailable, Wire.TenderAnswer.Unavailable)]
    public void TenderAnswer_Outcomes_AreSpelledAlike(string partner, string orchestrator)
    {
        Assert.Equal(orchestrator, partner);
    }

    [Fact]
    public void RatesAnswer_BothSides_RoundTrip()
    {
        ContractAssert.RoundTrips(
            new RatesAnswer("SO-1", [new RateQuote("parcelfast", "standard", 9.85m, "EUR", 3)]),
            new Wire.RateQuotes("SO-1", [new Wire.RateQuote("parcelfast", "standard", 9.85m, "EUR", 3)]));
    }
}
