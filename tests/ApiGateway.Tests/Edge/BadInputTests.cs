using LogisticsSync.Tests.Shared;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.ApiGateway.Tests.Edge;

/// <summary>Bad input through the gateway is a 4xx problem that reveals nothing of the server, and the expensive report is bounded.</summary>
[Collection(GatewayEstateCollection.Name)]
public sealed class BadInputTests(GatewayEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task Release_NulInAJsonString_Returns400ProblemAndCreatesNothing()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);
        var businessKey = "SO-" + Guid.NewGuid().ToString("N")[..12];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/shipments")
        {
            Content = JsonContent.Create(new
            {
                businessKey,
                customer = new { id = "C-1001", name = "a\0" },
                shipTo = new { name = "Acme DC North", city = "Hamburg", country = "DE" },
                lines = new[] { new { sku = "SKU-100", quantity = 1, weightKg = 1m } },
                promisedBy = "2026-12-01T17:00:00+00:00",
            }),
            Headers = { { "Idempotency-Key", businessKey } },
        };

        using var response = await erp.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        using var lookup = await erp.GetAsync($"/api/v2/shipments/by-business-key/{businessKey}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    public static TheoryData<string, string> BadCharacters => new()
    {
        { TestPartnerKeys.Erp, "/api/v2/shipments/by-business-key/X?sourceSystem=%00" },
        { TestPartnerKeys.Erp, "/api/v1/shipments/by-business-key/X?sourceSystem=%1B%5B31m" },
        { TestPartnerKeys.Operations, "/api/v2/estate/workflow-latency?businessKeyPrefix=%00" },
        { TestPartnerKeys.Operations, "/api/v2/exceptions?status=%01" },
        { TestPartnerKeys.Operations, "/api/v2/dead-letters?includeReplayed=%00" },
    };

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task NulOrControlCharacterInQueryOrPath_Returns400Problem(string apiKey, string path)
    {
        using var client = estate.Gateway(apiKey);

        using var response = await client.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task NulInThePath_IsRefusedByKestrelBeforeAnyApplicationCode()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);

        using var response = await erp.GetAsync("/api/v2/shipments/by-business-key/X%00Y");

        // Kestrel answers before any middleware: a bare 400, which cannot carry a problem body nor leak anything.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ParameterThatDoesNotBind_Returns400ProblemWithoutExceptionDetails()
    {
        using var operations = estate.Gateway(TestPartnerKeys.Operations);

        using var response = await operations.GetAsync("/api/v2/dead-letters?limit=many");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PathNoEndpointMatches_Returns404Problem()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);

        using var response = await erp.GetAsync("/api/v2/shipments/not-a-guid/timeline");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WorkflowLatency_NeedsTheOperationsScope()
    {
        using var portal = estate.Gateway(TestPartnerKeys.Portal);
        using var operations = estate.Gateway(TestPartnerKeys.Operations);

        using var refused = await portal.GetAsync("/api/v2/estate/workflow-latency");
        using var allowed = await operations.GetAsync("/api/v2/estate/workflow-latency");

        await AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task WorkflowLatency_SinceBeyondTheWindow_Returns400Problem()
    {
        using var operations = estate.Gateway(TestPartnerKeys.Operations);
        var since = DateTimeOffset.UtcNow.AddDays(-30).ToString("O", CultureInfo.InvariantCulture);

        using var response = await operations.GetAsync($"/api/v2/estate/workflow-latency?since={Uri.EscapeDataString(since)}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    /// <summary>A problem document with the status, and nothing in it that only a server's insides would say.</summary>
    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", body, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();
}
