using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Tests.Flows;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Exceptions;

[Collection(FlowsCollection.Name)]
public sealed class ExceptionApiTests(FlowsEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task List_Filters_FindTheOpenBookingDeferredOfTheShipment_AndGetReturnsIt(string version)
    {
        var (id, _, exception) = await estate.DeferredShipmentAsync();
        using var client = estate.Client();

        var byAll = await client.GetFromJsonAsync<JsonElement>($"/api/{version}/exceptions?status=open&type=BookingDeferred&shipmentId={id}");
        var listed = Assert.Single(byAll.EnumerateArray());
        Assert.Equal(exception.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/{version}/exceptions?status=resolved&shipmentId={id}")).EnumerateArray());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/{version}/exceptions?type=DeliveryLate&shipmentId={id}")).EnumerateArray());

        var one = await client.GetFromJsonAsync<JsonElement>($"/api/{version}/exceptions/{listed.GetProperty("id").GetString()}");
        Assert.Equal(id.ToString(), one.GetProperty("shipmentId").GetString());
        Assert.Equal(0, one.GetProperty("escalationLevel").GetInt32());
        Assert.True(one.GetProperty("slaDueAt").GetDateTimeOffset() > one.GetProperty("openedAt").GetDateTimeOffset());
        Assert.False(string.IsNullOrWhiteSpace(one.GetProperty("businessKey").GetString()));
    }

    [Theory]
    [InlineData("/api/v1/exceptions?status=closed", "status")]
    [InlineData("/api/v1/exceptions?type=Nope", "type")]
    [InlineData("/api/v1/exceptions?shipmentId=not-a-uuid", "shipmentId")]
    [InlineData("/api/v2/exceptions?limit=0", "limit")]
    public async Task List_BadFilter_IsAValidationProblemNamingTheField(string url, string field)
    {
        using var client = estate.Client();

        using var response = await client.GetAsync(url);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("GET", "/api/v1/exceptions/12345", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/api/v1/exceptions/12345/retry", HttpStatusCode.BadRequest)]
    [InlineData("GET", "/api/v1/exceptions/0195f000-0000-7000-8000-000000000000", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/v2/exceptions/0195f000-0000-7000-8000-000000000000/retry", HttpStatusCode.NotFound)]
    public async Task MalformedOrUnknownId_IsAProblem(string method, string url, HttpStatusCode expected)
    {
        using var client = estate.Client();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await ProblemAsync(response, expected);
    }

    [Fact]
    public async Task Resolve_BadBodies_AreProblems_ThenResolvesOnce_AndRetryOfAResolvedOneConflicts()
    {
        var (_, _, exception) = await estate.DeferredShipmentAsync();
        var url = $"/api/v1/exceptions/{exception.GetProperty("id").GetString()}";
        using var client = estate.Client();

        await ProblemAsync(await client.PostAsync($"{url}/resolve", new StringContent("resolution=done", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(await client.PostAsync($"{url}/resolve", new StringContent("{", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        var missing = await ProblemAsync(await client.PostAsJsonAsync($"{url}/resolve", new { resolution = " " }), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("resolution", out _));

        using var resolved = await client.PostAsJsonAsync($"{url}/resolve", new { resolution = "booked by phone with the depot" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var record = await resolved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("resolved", record.GetProperty("status").GetString());
        Assert.Equal("booked by phone with the depot", record.GetProperty("resolution").GetString());

        await ProblemAsync(await client.PostAsJsonAsync($"{url}/resolve", new { resolution = "again" }), HttpStatusCode.Conflict);
        await ProblemAsync(await client.PostAsync($"{url}/retry", null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Retry_OpenBookingDeferred_MakesTheParkedTenderDueNow()
    {
        var (id, _, exception) = await estate.DeferredShipmentAsync();
        using var client = estate.Client();
        // Park the task far ahead, as a long back-off would: only the retry can bring it back soon. (Between runs
        // only: a run in progress writes its own due time when it ends.)
        await WaitUntilAsync(async () =>
        {
            await ExecuteAsync("UPDATE partner_tasks SET due_at = now() + interval '1 hour' WHERE shipment_id = $1 AND kind = 'tender' AND claimed_by IS NULL", id);
            await Task.Delay(300);
            return await estate.CountAsync(
                "SELECT count(*) FROM partner_tasks WHERE shipment_id = $1 AND kind = 'tender' AND due_at > now() + interval '30 minutes'", id) == 1;
        });
        var attempts = await estate.CountAsync("SELECT attempts FROM partner_tasks WHERE shipment_id = $1 AND kind = 'tender'", id);

        using var response = await client.PostAsync($"/api/v1/exceptions/{exception.GetProperty("id").GetString()}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitUntilAsync(async () => await estate.CountAsync("SELECT attempts FROM partner_tasks WHERE shipment_id = $1 AND kind = 'tender'", id) > attempts);
    }

    [Fact]
    public async Task OpenExceptionPastItsSla_IsEscalatedOneLevel_AndGetsItsSlaAgain()
    {
        var (id, _, exception) = await estate.DeferredShipmentAsync();

        await ExecuteAsync("UPDATE shipment_exceptions SET sla_due_at = now() - interval '1 second' WHERE shipment_id = $1 AND status = 'open'", id);

        await WaitUntilAsync(async () => (await estate.ExceptionsAsync(id, status: "open")).Single().GetProperty("escalationLevel").GetInt32() == 1);
        var escalated = (await estate.ExceptionsAsync(id, status: "open")).Single();
        Assert.Equal(exception.GetProperty("id").GetString(), escalated.GetProperty("id").GetString());
        Assert.True(escalated.GetProperty("slaDueAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(3));
    }

    private async Task ExecuteAsync(string sql, Guid shipmentId)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(estate.App.GetConnectionString(LogisticsSync.ServiceDefaults.ResourceNames.Database));
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = shipmentId });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
            return problem;
        }
    }

    public void Dispose() => _logs.Dispose();
}
