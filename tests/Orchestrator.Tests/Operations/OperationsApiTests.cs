using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Tests.Flows;
using Xunit.Abstractions;

namespace LogisticsSync.Orchestrator.Tests.Operations;

/// <summary>The operations view's read APIs against the flows' estate, seen through one shipment parked in BookingDeferred.</summary>
[Collection(FlowsCollection.Name)]
public sealed class OperationsApiTests(FlowsEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task Reads_DeferredShipment_IsCounted_ListedInFlight_QueuedForItsOwner_AndInThroughput(string version)
    {
        var (id, key, _) = await estate.DeferredShipmentAsync();
        using var client = estate.Client();

        var states = (await client.GetFromJsonAsync<JsonElement[]>($"/api/{version}/operations/shipment-states"))!;
        // Every state in lifecycle order. The shipment's own state is not asserted: a deferred booking's retries move it
        // through Tendered and back while the exception stays open.
        Assert.Equal(Enum.GetNames<ShipmentState>(), states.Select(s => s.GetProperty("state").GetString()));
        Assert.True(states.Sum(s => s.GetProperty("shipments").GetInt64()) >= 1);
        Assert.All(states.Where(s => s.GetProperty("shipments").GetInt64() > 0),
            s => Assert.True(s.GetProperty("dwellMaxSeconds").GetDouble() >= s.GetProperty("dwellP50Seconds").GetDouble()));
        Assert.All(states.Where(s => s.GetProperty("shipments").GetInt64() == 0),
            s => Assert.Equal(JsonValueKind.Null, s.GetProperty("dwellP50Seconds").ValueKind));

        var inFlight = await client.GetFromJsonAsync<JsonElement[]>($"/api/{version}/operations/in-flight-shipments?limit=500");
        var mine = Assert.Single(inFlight!, s => s.GetProperty("id").GetGuid() == id);
        Assert.Equal(key, mine.GetProperty("businessKey").GetString());
        Assert.Equal(1, mine.GetProperty("openExceptions").GetInt32());
        Assert.False(mine.GetProperty("dwellLimitBreached").GetBoolean());
        Assert.True(mine.GetProperty("ageSeconds").GetDouble() >= 0);
        var notYet = await client.GetFromJsonAsync<JsonElement[]>($"/api/{version}/operations/in-flight-shipments?minAgeSeconds=86400");
        Assert.DoesNotContain(notYet!, s => s.GetProperty("id").GetGuid() == id);

        var owners = await client.GetFromJsonAsync<JsonElement[]>($"/api/{version}/operations/exception-owners");
        var planning = Assert.Single(owners!, o => o.GetProperty("ownerTeam").GetString() == "transport-planning");
        Assert.True(planning.GetProperty("open").GetInt64() >= 1);

        var throughput = await client.GetFromJsonAsync<JsonElement>($"/api/{version}/operations/throughput?minutes=5");
        var minutes = throughput.GetProperty("perMinute").EnumerateArray().ToArray();
        Assert.Equal(5, minutes.Length);
        Assert.True(minutes.Sum(m => m.GetProperty("released").GetInt64()) >= 1);
        Assert.True(minutes.Sum(m => m.GetProperty("packed").GetInt64()) >= 1);
    }

    [Fact]
    public async Task ExceptionList_OrderSla_PutsTheEarliestDueFirst()
    {
        using var client = estate.Client();

        var open = await client.GetFromJsonAsync<JsonElement[]>("/api/v1/exceptions?status=open&order=sla&limit=1000");

        var due = open!.Select(e => e.GetProperty("slaDueAt").GetDateTimeOffset()).ToArray();
        Assert.Equal(due.Order(), due);
    }

    [Theory]
    [InlineData("/api/v1/operations/in-flight-shipments?limit=0", "limit")]
    [InlineData("/api/v1/operations/in-flight-shipments?minAgeSeconds=-5", "minAgeSeconds")]
    [InlineData("/api/v2/operations/throughput?minutes=100000", "minutes")]
    [InlineData("/api/v2/operations/throughput?minutes=abc", "minutes")]
    [InlineData("/api/v1/exceptions?order=oldest", "order")]
    public async Task BadQuery_IsAValidationProblemNamingTheField(string url, string field)
    {
        using var client = estate.Client();

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    public void Dispose() => _logs.Dispose();
}
