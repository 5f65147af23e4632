using System.Net;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Tests.Flows;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.CarrierWebhooks.CarrierFormatsTests;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.CarrierWebhooks;

[Collection(FlowsCollection.Name)]
public sealed class CarrierAdapterTests(FlowsEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task ParcelFast_OutOfOrderWithAResendUnderANewWebhookId_EachEventAppliedOnce_ThenInvoicedOnceAndClosed()
    {
        var (key, id, tracking) = await BookedAsync("parcelfast");
        string Event(string status, int n) => ParcelFast(status, eventId: $"pf-{key}-{n}", tracking: tracking, reference: key);

        Assert.Equal("recorded", await SendAsync("parcelfast", Event("LABEL_CREATED", 1)));
        Assert.Equal("applied", await SendAsync("parcelfast", Event("IN_TRANSIT", 2)));
        // The carrier resends the same event under a new webhook-id: the gateway cannot tell, the adapter can.
        Assert.Equal("duplicate", await SendAsync("parcelfast", Event("IN_TRANSIT", 2)));
        Assert.Equal("applied", await SendAsync("parcelfast", Event("DELIVERED", 4)));
        Assert.Equal("stale", await SendAsync("parcelfast", Event("OUT_FOR_DELIVERY", 3)));
        Assert.Equal("applied", await SendAsync("parcelfast", Event("POD_AVAILABLE", 5)));

        // Invoiced with nothing open: closed by the orchestrator in the invoice's own transaction.
        var shipment = await estate.WaitForStateAsync(id, "Closed");
        Assert.Equal("Orchestrator", shipment.GetProperty("stateOwner").GetString());
        var trail = await estate.TrailAsync(id);
        Assert.Contains(trail, e => e is { Milestone: "label-created", Source: "Carrier", Outcome: "recorded" });
        Assert.Single(trail, e => e is { Milestone: "in-transit", Outcome: "applied" });
        Assert.Contains(trail, e => e is { Milestone: "out-for-delivery", Outcome: "skipped" });
        Assert.Contains(trail, e => e is { Milestone: "out-for-delivery", Outcome: "stale" });
        Assert.Contains(trail, e => e is { Milestone: "proof-of-delivery", Source: "Carrier", Outcome: "applied" });
        Assert.Single(trail, e => e is { Milestone: "invoiced", Source: "Erp", Outcome: "applied" });
        Assert.Single(trail, e => e is { Milestone: "closed", Source: "Orchestrator", Outcome: "applied" });
        // Goods issue on the first carrier milestone, the invoice after it; each posted once.
        var calls = estate.Partners.PostingCalls.Where(c => c.BusinessKey == key).ToList();
        Assert.Equal(["goods-issue", "invoice"], calls.Where(c => c.Answer == HttpStatusCode.Created).Select(c => c.Kind));
        Assert.Equal(2, estate.Partners.Posted.Keys.Count(k => k.BusinessKey == key));
    }

    [Fact]
    public async Task FreightLine_DelayPastThePromise_OpensOneDeliveryLateException_AndStoresTheRevisedEta()
    {
        var promisedBy = new DateTimeOffset(2030, 11, 25, 17, 0, 0, TimeSpan.Zero);
        var (key, id, consignment) = await BookedAsync("freightline", promisedBy);
        var number = Random.Shared.NextInt64(1_000_000, 1_000_000_000);
        string Event(string code, long n, string? eta = null) => FreightLine(code, messageNumber: n, consignment: consignment, reference: key, revisedEta: eta);

        Assert.Equal("applied", await SendAsync("freightline", Event("DEP", number)));
        // Within the promise: no exception.
        Assert.Equal("applied", await SendAsync("freightline", Event("DLY", number + 1, "2030-11-25T12:00:00Z")));
        Assert.Empty(await estate.ExceptionsAsync(id));
        Assert.Equal("applied", await SendAsync("freightline", Event("DEP", number + 2)));
        Assert.Equal("applied", await SendAsync("freightline", Event("DLY", number + 3, "2030-11-26T12:00:00Z")));
        Assert.Equal("applied", await SendAsync("freightline", Event("DEP", number + 4)));
        Assert.Equal("applied", await SendAsync("freightline", Event("DLY", number + 5, "2030-11-27T12:00:00Z")));

        var exception = Assert.Single(await estate.ExceptionsAsync(id));
        Assert.Equal("DeliveryLate", exception.GetProperty("type").GetString());
        Assert.Equal("customer-service", exception.GetProperty("ownerTeam").GetString());
        Assert.Equal("open", exception.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, exception.GetProperty("retryableTask").ValueKind);
        var shipment = await estate.ShipmentAsync(id);
        Assert.Equal("Delayed", shipment.GetProperty("state").GetString());
        Assert.Equal(new DateTimeOffset(2030, 11, 27, 12, 0, 0, TimeSpan.Zero), shipment.GetProperty("booking").GetProperty("estimatedDeliveryAt").GetDateTimeOffset());
        // A late delivery parks no work: retry is a conflict, resolving is the operator's.
        using var client = estate.Client();
        using var retry = await client.PostAsync($"/api/v1/exceptions/{exception.GetProperty("id").GetString()}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
    }

    [Fact]
    public async Task WebhookFromAnotherCarrier_IsRejectedAsAGovernanceViolation_AndMovesNothing()
    {
        var (key, id, _) = await BookedAsync("parcelfast");

        var outcome = await SendAsync("freightline", FreightLine("DEP", messageNumber: Random.Shared.NextInt64(1, long.MaxValue), consignment: "FL-X", reference: key));

        Assert.Equal("rejected-other-carrier", outcome);
        Assert.Equal("Booked", (await estate.ShipmentAsync(id)).GetProperty("state").GetString());
        var rejected = Assert.Single(await estate.TrailAsync(id), e => e.Outcome == "rejected-not-owner");
        Assert.Equal("Carrier", rejected.Source);
        Assert.Contains("booked with parcelfast", rejected.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("parcelfast", "{\"not\": \"parcelfast\"}", "rejected-malformed")]
    [InlineData("freightline", "this is not json", "rejected-malformed")]
    [InlineData("pigeonpost", "{\"eventId\": \"1\"}", "rejected-malformed")]
    public async Task MalformedOrUnknownFormat_IsARecordedRejection(string carrier, string body, string expected)
    {
        Assert.Equal(expected, await SendAsync(carrier, body));
    }

    [Fact]
    public async Task WebhookForAnUnknownShipment_IsLookedAtAgain_ThenARecordedRejection()
    {
        var outcome = await SendAsync("parcelfast", ParcelFast("IN_TRANSIT", eventId: $"pf-{Guid.NewGuid():N}", tracking: "PF0000000000", reference: "SO-nobody"));

        Assert.Equal("rejected-unknown-shipment", outcome);
    }

    [Fact]
    public async Task WebhookStormWithResendsWhileAReplicaIsKilled_EveryCarrierEventRecordedOnce()
    {
        var booked = new List<(string Key, Guid Id, string Tracking)>();
        for (var i = 0; i < 5; i++)
        {
            booked.Add(await BookedAsync("parcelfast"));
        }

        var events = booked.SelectMany(b => new[] { "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED" }
            .Select((status, n) => ParcelFast(status, eventId: $"pf-{b.Key}-{n}", tracking: b.Tracking, reference: b.Key))).ToList();
        // Every event twice, each time under a new webhook-id, in random order.
        var webhooks = events.Concat(events).Select(body => (Body: body, WebhookId: $"msg_{Guid.NewGuid():N}")).OrderBy(_ => Random.Shared.Next()).ToList();

        var sending = Task.WhenAll(webhooks.Select(async (w, i) =>
        {
            await Task.Delay(i * 20);
            Assert.Equal(HttpStatusCode.Accepted, await estate.PostWebhookAsync("parcelfast", w.Body, w.WebhookId));
        }));
        await Task.Delay(150);
        await estate.App.ExecuteCommandAsync(LogisticsSync.ServiceDefaults.ResourceNames.Orchestrator, LogisticsSync.Hosting.ResourceCommand.Kill, replica: 0);
        await sending;

        var ids = booked.Select(b => b.Id).ToArray();
        await WaitUntilAsync(async () => await estate.CountAsync(
            "SELECT count(*) FROM carrier_webhook_inbox WHERE shipment_id = ANY($1) AND processed_at IS NOT NULL", ids) == webhooks.Count, TimeSpan.FromSeconds(60));
        Assert.Equal(events.Count, await estate.CountAsync(
            "SELECT count(*) FROM carrier_webhook_inbox WHERE shipment_id = ANY($1) AND outcome = 'duplicate'", ids));
        Assert.Equal(0, await estate.CountAsync("""
            SELECT count(*) FROM (SELECT event_id FROM shipment_events
                                  WHERE shipment_id = ANY($1) AND event_id LIKE 'parcelfast:%' AND outcome <> 'skipped'
                                  GROUP BY event_id HAVING count(*) <> 1) wrong
            """, ids));
        Assert.Equal(events.Count, await estate.CountAsync(
            "SELECT count(DISTINCT event_id) FROM shipment_events WHERE shipment_id = ANY($1) AND event_id LIKE 'parcelfast:%'", ids));
        Assert.Equal(5, await estate.CountAsync("SELECT count(*) FROM shipments WHERE id = ANY($1) AND state = 'Delivered'", ids));
        await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A shipment booked with <paramref name="carrier"/> (the only one quoted), and its tracking number.</summary>
    private async Task<(string Key, Guid Id, string Tracking)> BookedAsync(string carrier, DateTimeOffset? promisedBy = null)
    {
        var key = FlowsEstateFixture.NewKey();
        estate.Partners.Script(key).Carriers = [carrier];
        var id = await estate.ReleaseAndPackAsync(key, promisedBy);
        var shipment = await estate.WaitForStateAsync(id, "Booked");
        return (key, id, shipment.GetProperty("booking").GetProperty("trackingNumber").GetString()!);
    }

    /// <summary>Posts the webhook under a fresh webhook-id and waits for the adapter's outcome.</summary>
    private async Task<string> SendAsync(string carrier, string body)
    {
        var webhookId = $"msg_{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Accepted, await estate.PostWebhookAsync(carrier, body, webhookId));
        return await estate.WaitForWebhookOutcomeAsync(carrier, webhookId);
    }

    public void Dispose() => _logs.Dispose();
}
