using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Shipments;

public sealed class ShipmentCommandsTests(OrchestratorEstateFixture estate, ITestOutputHelper output)
    : IClassFixture<OrchestratorEstateFixture>, IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task Release_ValidCommand_Returns201AndRecordsTheTrail()
    {
        using var client = estate.Replica(0);
        var key = NewKey();

        using var response = await client.SendAsync(Release(ReleaseBody(key), key));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var shipment = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Released", shipment.GetProperty("state").GetString());
        Assert.Equal(key, shipment.GetProperty("businessKey").GetString());
        Assert.Equal($"/api/v1/shipments/{shipment.GetProperty("id").GetString()}", response.Headers.Location?.ToString());
        Assert.True(response.Headers.Contains("X-Correlation-ID"));
        var timeline = await client.GetFromJsonAsync<JsonElement>($"{response.Headers.Location}/timeline");
        var entry = Assert.Single(timeline.EnumerateArray());
        Assert.Equal("released", entry.GetProperty("milestone").GetString());
        Assert.Equal("applied", entry.GetProperty("outcome").GetString());
        var byKey = await client.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/by-business-key/{key}");
        Assert.Equal(shipment.GetProperty("id").GetString(), byKey.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Release_SameKeySameBody_ReplaysTheFirstResponse()
    {
        var key = NewKey();
        using var first = await estate.Replica(0).SendAsync(Release(ReleaseBody(key), key));
        using var retry = await estate.Replica(1).SendAsync(Release(ReleaseBody(key), key));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Release_SameKeyDifferentBody_Returns422Problem()
    {
        var key = NewKey();
        using var first = await estate.Replica(0).SendAsync(Release(ReleaseBody(key, quantity: 1), key));
        using var changed = await estate.Replica(0).SendAsync(Release(ReleaseBody(key, quantity: 5), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal("application/problem+json", changed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Release_FiftyConcurrentIdenticalCommands_OneShipmentAndIdenticalResponses()
    {
        var key = NewKey();

        var responses = await SendFiftyConcurrentlyAcrossReplicasAsync(() => Release(ReleaseBody(key), key));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Body).Distinct());
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipments WHERE business_key = $1", key));
        Assert.Equal(1, await estate.CountAsync(
            "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key = $1", key));
    }

    [Fact]
    public async Task Release_FiftyConcurrentRetriesWithNewKeys_BusinessKeyKeepsOneShipment()
    {
        var businessKey = NewKey();

        var responses = await SendFiftyConcurrentlyAcrossReplicasAsync(() => Release(ReleaseBody(businessKey), NewKey()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()).Distinct());
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipments WHERE business_key = $1", businessKey));
    }

    [Fact]
    public async Task Release_BusinessKeyReusedWithAnotherBody_Returns409AndChangesNothing()
    {
        var businessKey = NewKey();
        using var client = estate.Replica(0);
        using var first = await client.SendAsync(Release(ReleaseBody(businessKey, quantity: 1), NewKey()));

        using var conflicting = await client.SendAsync(Release(ReleaseBody(businessKey, quantity: 9), NewKey()));

        Assert.Equal(HttpStatusCode.Conflict, conflicting.StatusCode);
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipments WHERE business_key = $1", businessKey));
    }

    [Fact]
    public async Task Release_InvalidFields_ValidationProblemNamesEachField()
    {
        using var client = estate.Replica(0);
        var body = new
        {
            businessKey = "has spaces",
            customer = new { name = "no id" },
            shipTo = new { name = "X", city = "Y", country = "Germany" },
            lines = new[] { new { sku = "", quantity = 0, weightKg = 1m } },
        };

        using var response = await client.SendAsync(Release(body, NewKey()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "businessKey", "customer.id", "shipTo.country", "lines[0].sku", "lines[0].quantity", "promisedBy" }, fields);
    }

    [Fact]
    public async Task Release_WithoutIdempotencyKeyOrNotJson_IsRefusedWithProblems()
    {
        using var client = estate.Replica(0);

        using var withoutKey = await client.SendAsync(Release(ReleaseBody(NewKey()), idempotencyKey: null));
        using var notJson = await client.PostAsync("/api/v1/shipments", new StringContent("businessKey=1", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var brokenJson = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments")
        {
            Content = new StringContent("{\"businessKey\": ", System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", NewKey() } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, brokenJson.StatusCode);
    }

    [Fact]
    public async Task Cancel_ReleasedShipment_CancelsOnceAndRecordsTheRepeatAsStale()
    {
        using var client = estate.Replica(0);
        var key = NewKey();
        using var released = await client.SendAsync(Release(ReleaseBody(key), key));
        var location = released.Headers.Location!.ToString();

        using var cancel = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{location}/cancellation") { Headers = { { "Idempotency-Key", NewKey() } } });
        using var again = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{location}/cancellation") { Headers = { { "Idempotency-Key", NewKey() } } });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var outcomes = (await client.GetFromJsonAsync<JsonElement>($"{location}/timeline")).EnumerateArray().Select(e => e.GetProperty("outcome").GetString());
        Assert.Equal(["applied", "applied", "stale"], outcomes);
    }

    [Fact]
    public async Task Release_RedisStopped_CommandsStillNeverDuplicateAShipment()
    {
        var businessKey = NewKey();
        await estate.App.ExecuteCommandAsync(ResourceNames.Redis, ResourceCommand.Stop);
        try
        {
            using var first = await estate.Replica(0).SendAsync(Release(ReleaseBody(businessKey), businessKey));
            using var retry = await estate.Replica(1).SendAsync(Release(ReleaseBody(businessKey), businessKey));
            using var retryNewKey = await estate.Replica(0).SendAsync(Release(ReleaseBody(businessKey), NewKey()));

            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
            Assert.Equal(HttpStatusCode.Created, retryNewKey.StatusCode);
            Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipments WHERE business_key = $1", businessKey));
        }
        finally
        {
            await estate.App.ExecuteCommandAsync(ResourceNames.Redis, ResourceCommand.Start);
            await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheShipmentApi()
    {
        using var client = estate.Replica(0);

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/shipments", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/shipments/{id}/timeline", out _));
    }

    [Fact]
    public async Task Migrations_TwoReplicasStartedTogether_AppliedOnce()
    {
        Assert.Equal(Data.MigrationRunner.Migration.Embedded().Count, await estate.CountAsync("SELECT count(*) FROM schema_migrations"));
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => estate.CountAsync("DELETE FROM shipment_events"));
    }

    public void Dispose() => _logs.Dispose();

    /// <summary>Fifty copies of a request at once, alternating between the two replicas.</summary>
    private async Task<(HttpStatusCode StatusCode, string Body)[]> SendFiftyConcurrentlyAcrossReplicasAsync(Func<HttpRequestMessage> request)
    {
        using var replica0 = estate.Replica(0);
        using var replica1 = estate.Replica(1);
        return await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? replica0 : replica1).SendAsync(request());
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
    }

    private static string NewKey() => "SO-" + Guid.NewGuid().ToString("N")[..12];
}
