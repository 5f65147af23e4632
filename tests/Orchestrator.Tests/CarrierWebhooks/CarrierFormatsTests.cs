using System.Text;
using LogisticsSync.Orchestrator.CarrierWebhooks;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Tests.CarrierWebhooks;

public sealed class CarrierFormatsTests
{
    [Theory]
    [InlineData("LABEL_CREATED", null)]
    [InlineData("IN_TRANSIT", ShipmentMilestone.InTransit)]
    [InlineData("DELAYED", ShipmentMilestone.Delayed)]
    [InlineData("OUT_FOR_DELIVERY", ShipmentMilestone.OutForDelivery)]
    [InlineData("DELIVERED", ShipmentMilestone.Delivered)]
    [InlineData("DELIVERY_ATTEMPT_FAILED", ShipmentMilestone.DeliveryFailed)]
    [InlineData("POD_AVAILABLE", ShipmentMilestone.ProofOfDelivery)]
    public void Parse_ParcelFastStatus_MapsToTheCanonicalMilestoneOfDocsFlows(string status, ShipmentMilestone? expected)
    {
        var parsed = CarrierFormats.Parse(CarrierFormats.ParcelFast, Encoding.UTF8.GetBytes(ParcelFast(status)));

        Assert.Equal(expected, parsed.Milestone);
        Assert.Equal("pf-7f3a", parsed.EventId);
        Assert.Equal("PF1234567890", parsed.TrackingNumber);
        Assert.Equal("SO-000123", parsed.Reference);
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T10:15:00+00:00", System.Globalization.CultureInfo.InvariantCulture), parsed.OccurredAt);
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T18:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture), parsed.EstimatedDelivery);
        Assert.Contains("Lyon, FR", parsed.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BKD", null)]
    [InlineData("DEP", ShipmentMilestone.InTransit)]
    [InlineData("DLY", ShipmentMilestone.Delayed)]
    [InlineData("OFD", ShipmentMilestone.OutForDelivery)]
    [InlineData("DLV", ShipmentMilestone.Delivered)]
    [InlineData("NDL", ShipmentMilestone.DeliveryFailed)]
    [InlineData("POD", ShipmentMilestone.ProofOfDelivery)]
    public void Parse_FreightLineCode_MapsToTheCanonicalMilestoneOfDocsFlows(string code, ShipmentMilestone? expected)
    {
        var parsed = CarrierFormats.Parse(CarrierFormats.FreightLine, Encoding.UTF8.GetBytes(FreightLine(code)));

        Assert.Equal(expected, parsed.Milestone);
        Assert.Equal("48211", parsed.EventId);
        Assert.Equal("FL-0098812", parsed.TrackingNumber);
        Assert.Equal("SO-000123", parsed.Reference);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.Zero), parsed.OccurredAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), parsed.EstimatedDelivery);
        Assert.Contains("Hamburg Hub", parsed.Detail, StringComparison.Ordinal);
        Assert.Contains("Line haul missed", parsed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ProofOfDelivery_IsDescribedInTheDetail()
    {
        var body = FreightLine("POD").Replace("\"proofOfDelivery\": null",
            "\"proofOfDelivery\": { \"signedBy\": \"J. Doe\", \"signedAt\": \"2026-11-26T12:05:00Z\", \"documentUrl\": \"https://pod.example/1\" }", StringComparison.Ordinal);

        var parsed = CarrierFormats.Parse(CarrierFormats.FreightLine, Encoding.UTF8.GetBytes(body));

        Assert.Contains("signed by J. Doe", parsed.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parcelfast", "not json")]
    [InlineData("parcelfast", "[1, 2]")]
    [InlineData("parcelfast", """{ "eventId": "pf-1", "status": "TELEPORTED", "occurredAt": "2026-11-23T10:15:00+00:00" }""")]
    [InlineData("parcelfast", """{ "status": "IN_TRANSIT", "occurredAt": "2026-11-23T10:15:00+00:00" }""")]
    [InlineData("parcelfast", """{ "eventId": "pf-1", "status": "IN_TRANSIT", "occurredAt": "yesterday" }""")]
    [InlineData("freightline", """{ "messageNumber": "48211", "consignment": {}, "event": { "code": "DEP", "timestampUtc": "2026-11-23T10:15:00Z" } }""")]
    [InlineData("freightline", """{ "messageNumber": 48211, "consignment": {}, "event": { "code": "XXX", "timestampUtc": "2026-11-23T10:15:00Z" } }""")]
    [InlineData("freightline", """{ "messageNumber": 48211, "consignment": {} }""")]
    [InlineData("pigeonpost", """{ "eventId": "x" }""")]
    [InlineData("parcelfast", """{ "eventId": "pf-1", "trackingNumber": "PF\u0000", "status": "IN_TRANSIT", "occurredAt": "2026-11-23T10:15:00+00:00" }""")]
    [InlineData("parcelfast", """{ "eventId": "pf-\u0001", "status": "IN_TRANSIT", "occurredAt": "2026-11-23T10:15:00+00:00" }""")]
    [InlineData("freightline", """{ "messageNumber": 48211, "consignment": { "number": "FL-1", "shipperRef": "SO-\ud800" }, "event": { "code": "DEP", "timestampUtc": "2026-11-23T10:15:00Z" } }""")]
    public void Parse_NotTheCarriersFormat_ThrowsWithAReason(string carrier, string body)
    {
        var error = Assert.Throws<CarrierFormatException>(() => CarrierFormats.Parse(carrier, Encoding.UTF8.GetBytes(body)));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    internal static string ParcelFast(string status, string eventId = "pf-7f3a", string tracking = "PF1234567890", string reference = "SO-000123",
        string occurredAt = "2026-11-23T10:15:00+00:00", string? estimatedDelivery = "2026-11-24T18:00:00+00:00") => $$"""
        { "eventId": "{{eventId}}", "trackingNumber": "{{tracking}}", "reference": "{{reference}}",
          "status": "{{status}}", "occurredAt": "{{occurredAt}}",
          "estimatedDelivery": {{(estimatedDelivery is null ? "null" : $"\"{estimatedDelivery}\"")}}, "location": { "city": "Lyon", "country": "FR" },
          "proofOfDelivery": null }
        """;

    internal static string FreightLine(string code, long messageNumber = 48211, string consignment = "FL-0098812", string reference = "SO-000123",
        string timestamp = "2026-11-23T10:15:00Z", string? revisedEta = "2026-11-26T12:00:00Z") => $$"""
        { "messageNumber": {{messageNumber}},
          "consignment": { "number": "{{consignment}}", "shipperRef": "{{reference}}" },
          "event": { "code": "{{code}}", "timestampUtc": "{{timestamp}}", "depot": "Hamburg Hub",
                     "revisedEta": {{(revisedEta is null ? "null" : $"\"{revisedEta}\"")}}, "remarks": "Line haul missed" },
          "proofOfDelivery": null }
        """;
}
