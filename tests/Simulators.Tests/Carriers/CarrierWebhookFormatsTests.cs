using LogisticsSync.Tests.Shared;
using System.Text.Json;
using LogisticsSync.ServiceDefaults.Webhooks;
using LogisticsSync.Simulators.Carriers;
using LogisticsSync.Simulators.Faults;
using static LogisticsSync.Simulators.Tests.Carriers.CarrierTestData;

namespace LogisticsSync.Simulators.Tests.Carriers;

public sealed class CarrierWebhookFormatsTests
{
    [Fact]
    public void ParcelFast_FlatJsonWithStatusCodes_AsDocsFlowsShowsIt()
    {
        var booking = Book(11, ParcelFast, 1);
        var plan = JourneyPlan.For(11, ParcelFast, booking, new FaultProfile { DelayRate = 1 });

        var bodies = plan.Steps.Select(s => JsonDocument.Parse(ParcelFast.Format.Serialize(11, booking, s)).RootElement).ToList();

        Assert.Equal(["LABEL_CREATED", "IN_TRANSIT", "DELAYED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "POD_AVAILABLE"], bodies.Select(b => b.GetProperty("status").GetString()));
        Assert.All(bodies, b => Assert.Equal(
            ["estimatedDelivery", "eventId", "location", "occurredAt", "proofOfDelivery", "reference", "status", "trackingNumber"],
            b.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.All(bodies, b => Assert.StartsWith("pf-", b.GetProperty("eventId").GetString(), StringComparison.Ordinal));
        Assert.Equal(bodies.Count, bodies.Select(b => b.GetProperty("eventId").GetString()).Distinct().Count());
        Assert.Equal(booking.BusinessKey, bodies[0].GetProperty("reference").GetString());
        Assert.EndsWith("+00:00", bodies[0].GetProperty("occurredAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(("Köln", "DE"), (bodies[^1].GetProperty("location").GetProperty("city").GetString(), bodies[^1].GetProperty("location").GetProperty("country").GetString()));
        Assert.Equal(JsonValueKind.Null, bodies[0].GetProperty("proofOfDelivery").ValueKind);
        Assert.Equal(["documentUrl", "signedAt", "signedBy"], bodies[^1].GetProperty("proofOfDelivery").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(plan.Steps[2].RevisedEta, bodies[2].GetProperty("estimatedDelivery").GetDateTimeOffset());
    }

    [Fact]
    public void FreightLine_ConsignmentAndEventWithItsOwnCodes_AsDocsFlowsShowsIt()
    {
        var booking = Book(11, FreightLine, 1);
        var plan = JourneyPlan.For(11, FreightLine, booking, new FaultProfile { DelayRate = 1, FailedAttemptRate = 1 });

        var bodies = plan.Steps.Select(s => JsonDocument.Parse(FreightLine.Format.Serialize(11, booking, s)).RootElement).ToList();

        Assert.Equal(["BKD", "DEP", "DLY", "DEP", "OFD", "NDL", "OFD", "DLV", "POD"], bodies.Select(b => b.GetProperty("event").GetProperty("code").GetString()));
        Assert.All(bodies, b => Assert.Equal(["consignment", "event", "messageNumber", "proofOfDelivery"], b.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.All(bodies, b => Assert.Equal(["code", "depot", "remarks", "revisedEta", "timestampUtc"], b.GetProperty("event").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)));
        Assert.Equal(bodies.Count, bodies.Select(b => b.GetProperty("messageNumber").GetInt64()).Distinct().Count());
        Assert.Equal((booking.TrackingNumber, booking.BusinessKey), (bodies[0].GetProperty("consignment").GetProperty("number").GetString(), bodies[0].GetProperty("consignment").GetProperty("shipperRef").GetString()));
        Assert.EndsWith("Z", bodies[0].GetProperty("event").GetProperty("timestampUtc").GetString(), StringComparison.Ordinal);
        Assert.Equal(plan.Steps[2].RevisedEta!.Value.UtcDateTime, bodies[2].GetProperty("event").GetProperty("revisedEta").GetDateTime());
        Assert.Equal(JsonValueKind.Null, bodies[1].GetProperty("event").GetProperty("revisedEta").ValueKind);
        Assert.Equal(JsonValueKind.Object, bodies[^1].GetProperty("proofOfDelivery").ValueKind);
    }

    [Fact]
    public void Serialize_SameSeedAndStep_SameBytes_SoARepeatIsTheSameMessage()
    {
        var booking = Book(11, FreightLine, 1);
        var step = JourneyPlan.For(11, FreightLine, booking, new FaultProfile()).Steps[1];

        Assert.Equal(FreightLine.Format.Serialize(11, booking, step), FreightLine.Format.Serialize(11, booking, step));
    }

    [Theory]
    [InlineData("carrier-parcelfast", "parcelfast")]
    [InlineData("carrier-freightline", "freightline")]
    public async Task CreateRequest_SignedWithTheCarriersSecret_VerifiesWithTheGatewaysConfiguredSecret(string role, string carrierId)
    {
        var carrier = role == ParcelFast.Role ? ParcelFast : FreightLine;
        var body = """{"status":"IN_TRANSIT"}"""u8.ToArray();
        var webhook = new OutgoingWebhook("msg_test", body, WebhookKinds.First, "PF0000000001");

        using var request = WebhookSender.CreateRequest(carrier, StandardWebhookSignature.KeyOf(carrier.WebhookSecret), webhook, 1795435200);

        Assert.Equal($"/webhooks/carriers/{carrierId}", request.RequestUri!.ToString());
        Assert.Equal(carrier.ApiKey, request.Headers.GetValues("X-Api-Key").Single());
        Assert.Equal(("msg_test", "1795435200"), (request.Headers.GetValues("webhook-id").Single(), request.Headers.GetValues("webhook-timestamp").Single()));
        var sent = await request.Content!.ReadAsByteArrayAsync();
        Assert.Equal(body, sent);
        // The secret the AppHost gives the gateway for this carrier (the same parameter as the carrier's), and its verifier.
        var secret = carrierId == "parcelfast" ? TestPartnerKeys.CarrierParcelFastWebhookSecret : TestPartnerKeys.CarrierFreightLineWebhookSecret;
        Assert.True(StandardWebhookSignature.Verify(StandardWebhookSignature.KeyOf(secret), "msg_test", 1795435200, sent, request.Headers.GetValues("webhook-signature").Single()));
        Assert.False(StandardWebhookSignature.Verify(StandardWebhookSignature.KeyOf(secret), "msg_test", 1795435201, sent, request.Headers.GetValues("webhook-signature").Single()));
    }
}
