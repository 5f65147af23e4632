using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Npgsql;
using Xunit.Abstractions;

namespace LogisticsSync.ApiGateway.Tests.Webhooks;

/// <summary>Carrier webhooks signed the Standard Webhooks way, as a carrier's system would send them.</summary>
[Collection(GatewayEstateCollection.Name)]
public sealed class CarrierWebhookTests(GatewayEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task SignedWebhook_IsForwardedAndStoredOnce_AReplayIsAcknowledgedWithoutForwarding()
    {
        using var parcelFast = estate.Gateway(TestPartnerKeys.CarrierParcelFast);
        var webhookId = NewWebhookId();
        var body = Milestone("PF-1001", "in_transit");

        using var first = await parcelFast.SendAsync(Signed("parcelfast", TestPartnerKeys.CarrierParcelFastWebhookSecret, webhookId, Now(), body));
        using var replay = await parcelFast.SendAsync(Signed("parcelfast", TestPartnerKeys.CarrierParcelFastWebhookSecret, webhookId, Now(), body));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("accepted", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var acknowledgement = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", acknowledgement.GetProperty("status").GetString());
        // The orchestrator's receipt names the carrier; the gateway's acknowledgement does not: the replay never left the edge.
        Assert.False(acknowledgement.TryGetProperty("carrierId", out _));
        var stored = Assert.Single(await StoredAsync("parcelfast", webhookId));
        Assert.Equal(body, stored);
    }

    [Fact]
    public async Task RedisDown_WebhookIsForwardedUnchecked_AndTheOrchestratorInboxStoresItOnce()
    {
        using var parcelFast = estate.Gateway(TestPartnerKeys.CarrierParcelFast);
        var webhookId = NewWebhookId();
        var body = Milestone("PF-1004", "out_for_delivery");

        await estate.WithRedisStoppedAsync(async () =>
        {
            using var first = await parcelFast.SendAsync(Signed("parcelfast", TestPartnerKeys.CarrierParcelFastWebhookSecret, webhookId, Now(), body));
            using var replay = await parcelFast.SendAsync(Signed("parcelfast", TestPartnerKeys.CarrierParcelFastWebhookSecret, webhookId, Now(), body));

            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            // Forwarded this time (the orchestrator's receipt names the carrier), and still stored once.
            var receipt = await replay.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("duplicate", receipt.GetProperty("status").GetString());
            Assert.Equal("parcelfast", receipt.GetProperty("carrierId").GetString());
        });

        Assert.Single(await StoredAsync("parcelfast", webhookId));
    }

    [Fact]
    public async Task SeveralSignatures_OneValid_IsAccepted()
    {
        using var parcelFast = estate.Gateway(TestPartnerKeys.CarrierParcelFast);
        var webhookId = NewWebhookId();
        var body = Milestone("PF-1002", "delivered");
        using var request = Signed("parcelfast", TestPartnerKeys.CarrierParcelFastWebhookSecret, webhookId, Now(), body);
        var valid = request.Headers.GetValues("webhook-signature").Single();
        // A sender rotating its secret signs with the old and the new one.
        request.Headers.Remove("webhook-signature");
        request.Headers.TryAddWithoutValidation("webhook-signature", $"v1,{Convert.ToBase64String(new byte[32])} {valid}");

        using var response = await parcelFast.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "wrong secret", "signed with another carrier's secret" },
        { "tampered body", "body changed after signing" },
        { "stale", "timestamp six minutes old" },
        { "future", "timestamp six minutes ahead" },
        { "unsigned", "no webhook-signature header" },
        { "malformed", "signature that is not v1 base64" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task UnverifiedWebhook_Returns401AndIsNotForwarded(string scenario, string because)
    {
        using var parcelFast = estate.Gateway(TestPartnerKeys.CarrierParcelFast);
        var webhookId = NewWebhookId();
        var body = Milestone("PF-1003", "delayed");
        var secret = scenario == "wrong secret" ? TestPartnerKeys.CarrierFreightLineWebhookSecret : TestPartnerKeys.CarrierParcelFastWebhookSecret;
        var timestamp = scenario switch
        {
            "stale" => Now() - 360,
            "future" => Now() + 360,
            _ => Now(),
        };
        using var request = Signed("parcelfast", secret, webhookId, timestamp, body);
        switch (scenario)
        {
            case "tampered body":
                request.Content = new StringContent(body.Replace("delayed", "delivered", StringComparison.Ordinal), Encoding.UTF8, "application/json");
                break;
            case "unsigned":
                request.Headers.Remove("webhook-signature");
                break;
            case "malformed":
                request.Headers.Remove("webhook-signature");
                request.Headers.TryAddWithoutValidation("webhook-signature", "v1,not-base64!");
                break;
        }

        using var response = await parcelFast.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{because}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await StoredAsync("parcelfast", webhookId));
    }

    [Theory]
    [InlineData("freightline")]
    [InlineData("unknowncarrier")]
    public async Task CarrierKey_PostingAnotherCarriersWebhook_Returns403EvenWhenSigned(string otherCarrier)
    {
        using var parcelFast = estate.Gateway(TestPartnerKeys.CarrierParcelFast);
        var webhookId = NewWebhookId();

        using var response = await parcelFast.SendAsync(
            Signed(otherCarrier, TestPartnerKeys.CarrierFreightLineWebhookSecret, webhookId, Now(), Milestone("FL-1", "delivered")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await StoredAsync(otherCarrier, webhookId));
    }

    [Fact]
    public async Task FreightLine_PostsItsOwnWebhooks()
    {
        using var freightLine = estate.Gateway(TestPartnerKeys.CarrierFreightLine);
        var webhookId = NewWebhookId();

        using var response = await freightLine.SendAsync(
            Signed("freightline", TestPartnerKeys.CarrierFreightLineWebhookSecret, webhookId, Now(), Milestone("FL-2", "out_for_delivery")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await StoredAsync("freightline", webhookId));
    }

    [Fact]
    public async Task ErpKey_CannotPostCarrierWebhooks()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);

        using var response = await erp.SendAsync(
            Signed("parcelfast", TestPartnerKeys.CarrierParcelFastWebhookSecret, NewWebhookId(), Now(), Milestone("PF-9", "delivered")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public void Dispose() => _logs.Dispose();

    /// <summary>Signs as the Standard Webhooks spec says, independently of the gateway's code.</summary>
    internal static HttpRequestMessage Signed(string carrierId, string secret, string webhookId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/carriers/{carrierId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", $"v1,{signature}");
        return request;
    }

    private async Task<List<string>> StoredAsync(string carrierId, string webhookId)
    {
        await using var connection = new NpgsqlConnection(estate.App.GetConnectionString(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT body FROM carrier_webhook_inbox WHERE carrier_id = $1 AND webhook_id = $2", connection)
        {
            Parameters = { new() { Value = carrierId }, new() { Value = webhookId } },
        };
        var bodies = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            bodies.Add(Encoding.UTF8.GetString((byte[])reader[0]));
        }

        return bodies;
    }

    private static string Milestone(string trackingNumber, string status) =>
        $$"""{"tracking_number":"{{trackingNumber}}","status":"{{status}}","at":"2026-11-23T10:00:00Z"}""";

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string NewWebhookId() => "msg_" + Guid.NewGuid().ToString("N");
}
