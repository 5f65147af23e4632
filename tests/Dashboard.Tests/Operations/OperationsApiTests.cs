using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using Xunit.Abstractions;

namespace LogisticsSync.Dashboard.Tests.Operations;

/// <summary>The operations page's API on a real estate: what it reads through the gateway, and an operator's action.</summary>
[Collection(DashboardEstateCollection.Name)]
public sealed class OperationsApiTests(DashboardEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private static readonly string UnknownId = Guid.CreateVersion7().ToString();
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task Overview_ShowsTheShipmentAndItsBreachedException_ResolveClosesIt_AndAgainIsTheOrchestratorsConflict()
    {
        var key = $"SO-OPS-{Guid.NewGuid():N}"[..18];
        var shipmentId = await estate.ReleaseAsync(key);
        var exceptionId = await estate.OpenBreachedExceptionAsync(shipmentId, key);
        using var dashboard = estate.CreateDashboardClient();

        var overview = await dashboard.GetFromJsonAsync<JsonElement>("/api/operations");

        Assert.Empty(overview.GetProperty("problems").EnumerateObject());
        Assert.True(Row(overview, "states", "state", "Released").GetProperty("shipments").GetInt64() >= 1);
        Assert.Equal(1, Row(overview, "inFlight", "id", shipmentId.ToString()).GetProperty("openExceptions").GetInt32());
        Assert.True(Row(overview, "exceptionOwners", "ownerTeam", "integration-operations").GetProperty("breached").GetInt64() >= 1);
        Assert.Equal(key, Row(overview, "exceptions", "id", exceptionId.ToString()).GetProperty("businessKey").GetString());
        Assert.True(overview.GetProperty("throughput").GetProperty("perMinute").EnumerateArray().Sum(m => m.GetProperty("released").GetInt64()) >= 1);
        Assert.Equal(JsonValueKind.Array, overview.GetProperty("deadLetters").ValueKind);

        var shipment = await dashboard.GetFromJsonAsync<JsonElement>($"/api/operations/shipments/{shipmentId}");
        Assert.Equal(key, shipment.GetProperty("shipment").GetProperty("businessKey").GetString());
        Assert.NotEmpty(shipment.GetProperty("timeline").EnumerateArray());

        using var resolved = await dashboard.PostAsJsonAsync($"/api/operations/exceptions/{exceptionId}/resolve", new { resolution = "released again by hand" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("resolved", (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var again = await ProblemAsync(await dashboard.PostAsJsonAsync($"/api/operations/exceptions/{exceptionId}/resolve", new { resolution = "twice" }),
            HttpStatusCode.Conflict);
        Assert.Equal("Already resolved", again.GetProperty("title").GetString());
        var after = await dashboard.GetFromJsonAsync<JsonElement>("/api/operations");
        Assert.DoesNotContain(after.GetProperty("exceptions").EnumerateArray(), e => e.GetProperty("id").GetString() == exceptionId.ToString());
    }

    [Fact]
    public async Task Overview_ShowsTheLatestReconciliationRun()
    {
        var run = await estate.RunReconciliationAsync();
        using var dashboard = estate.CreateDashboardClient();

        var overview = await dashboard.GetFromJsonAsync<JsonElement>("/api/operations");

        var latest = overview.GetProperty("reconciliation");
        Assert.Equal(run.GetProperty("id").GetString(), latest.GetProperty("run").GetProperty("id").GetString());
        Assert.Equal(latest.GetProperty("findings").GetArrayLength(), Math.Min(100, latest.GetProperty("findingsTotal").GetInt32()));
    }

    public static TheoryData<string, string, string?, HttpStatusCode> BadInput => new()
    {
        { "GET", "/api/operations/shipments/not-a-uuid", null, HttpStatusCode.BadRequest },
        { "POST", "/api/operations/exceptions/12345/resolve", """{"resolution":"done"}""", HttpStatusCode.BadRequest },
        { "POST", $"/api/operations/exceptions/{UnknownId}/resolve", """{"resolution":"  "}""", HttpStatusCode.BadRequest },
        { "POST", $"/api/operations/exceptions/{UnknownId}/resolve", "{", HttpStatusCode.BadRequest },
        { "POST", $"/api/operations/exceptions/{UnknownId}/resolve", """{"resolution":"done"}""", HttpStatusCode.NotFound },
        { "POST", $"/api/operations/exceptions/{UnknownId}/retry", null, HttpStatusCode.NotFound },
        { "POST", "/api/operations/dead-letters/-1/replay", null, HttpStatusCode.BadRequest },
        { "POST", "/api/operations/dead-letters/987654321/replay", null, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task BadInput_IsAProblemResponse(string method, string url, string? json, HttpStatusCode expected)
    {
        using var dashboard = estate.CreateDashboardClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        };

        await ProblemAsync(await dashboard.SendAsync(request), expected);
    }

    [Fact]
    public async Task Actions_WithoutTheTokenOrASession_AreRefused_AndTheKeyNeverReachesTheBrowser()
    {
        using var anonymous = new HttpClient { BaseAddress = estate.App.DashboardUrl };
        await ProblemAsync(await anonymous.PostAsync($"/api/operations/exceptions/{UnknownId}/retry", null), HttpStatusCode.Unauthorized);

        using var dashboard = estate.CreateDashboardClient();
        var overview = await dashboard.GetStringAsync("/api/operations");
        var script = await dashboard.GetStringAsync("/assets/operations.js");
        Assert.DoesNotContain(TestPartnerKeys.Operations, overview + script, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private static JsonElement Row(JsonElement overview, string section, string property, string value) =>
        Assert.Single(overview.GetProperty(section).EnumerateArray(), e => e.GetProperty(property).ToString() == value);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonSerializer.Deserialize<JsonElement>(body);
            Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
            return problem;
        }
    }
}
