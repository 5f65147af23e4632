using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.ApiGateway.Tests.Authentication;

/// <summary>
/// Idempotency as a partner sees it through the gateway: the command, not its bytes or its path, is what
/// a key remembers, and each client's keys are its own (the gateway forwards who called, and overwrites
/// whatever a caller claims).
/// </summary>
[Collection(GatewayEstateCollection.Name)]
public sealed class ClientScopedIdempotencyTests(GatewayEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task SameReleaseViaV2UnderANewKey_Returns201ForTheSameShipment()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);
        var businessKey = NewKey();

        using var first = await erp.SendAsync(Release("v1", NewKey(), Compact(businessKey)));
        using var again = await erp.SendAsync(Release("v2", NewKey(), Reformatted(businessKey)));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await IdOf(first), await IdOf(again));
    }

    [Fact]
    public async Task SameKeyReSerialisedViaV2_ReplaysTheFirstResponse()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);
        var businessKey = NewKey();
        var key = NewKey();

        using var first = await erp.SendAsync(Release("v1", key, Compact(businessKey)));
        using var replay = await erp.SendAsync(Release("v2", key, Reformatted(businessKey)));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await IdOf(first), await IdOf(replay));
    }

    [Fact]
    public async Task SameKeyFromTwoClients_EachRunsItsOwnCommand()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);
        using var secondErp = estate.Gateway(GatewayEstateFixture.SecondErpKey);
        var key = NewKey();

        using var first = await erp.SendAsync(Release("v2", key, Compact(NewKey())));
        using var second = await secondErp.SendAsync(Release("v2", key, Compact(NewKey())));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual(await IdOf(first), await IdOf(second));
    }

    [Fact]
    public async Task ClientIdClaimedByTheCaller_IsOverwrittenByTheGateway()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);
        var key = NewKey();
        using var first = Release("v2", key, Compact(NewKey()));
        first.Headers.Add(ForwardedClient.HeaderName, "someone-" + Guid.NewGuid());
        using var second = Release("v2", key, Compact(NewKey()));
        second.Headers.Add(ForwardedClient.HeaderName, "someone-else-" + Guid.NewGuid());

        using var firstResponse = await erp.SendAsync(first);
        using var secondResponse = await erp.SendAsync(second);

        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        // Had the claimed ids been believed, these would be two clients and the second a new command.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, secondResponse.StatusCode);
    }

    private static HttpRequestMessage Release(string version, string idempotencyKey, string json) => new(HttpMethod.Post, $"/api/{version}/shipments")
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
        Headers = { { "Idempotency-Key", idempotencyKey } },
    };

    private static string Compact(string businessKey) =>
        $$"""{"businessKey":"{{businessKey}}","customer":{"id":"C-1001","name":"Acme Retail"},"shipTo":{"name":"Acme DC North","city":"Hamburg","country":"DE"},"lines":[{"sku":"SKU-100","quantity":1,"weightKg":1.25}],"promisedBy":"2026-12-01T17:00:00+00:00"}""";

    /// <summary>The same release as <see cref="Compact"/>, spelled otherwise: order, whitespace, escapes, the promise's offset, the weight's scale, the default source system.</summary>
    private static string Reformatted(string businessKey) => $$"""
        {
          "promisedBy": "2026-12-01T18:00:00+01:00",
          "lines": [ { "weightKg": 1.250, "quantity": 1, "sku": "SKU\u002D100" } ],
          "shipTo": { "country": "DE", "city": "Hamburg", "name": "Acme DC North" },
          "sourceSystem": "erp",
          "customer": { "name": "Acme Retail", "id": "C-1001" },
          "businessKey": "{{businessKey}}"
        }
        """;

    private static async Task<string?> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

    private static string NewKey() => "SO-" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => _logs.Dispose();
}
