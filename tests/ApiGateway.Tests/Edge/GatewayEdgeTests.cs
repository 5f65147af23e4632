using LogisticsSync.Tests.Shared;
using LogisticsSync.Dashboard;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.ApiGateway.Tests.Edge;

[Collection(GatewayEstateCollection.Name)]
public sealed class GatewayEdgeTests(GatewayEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Theory]
    [InlineData("/api/v3/shipments")]
    [InlineData("/api/shipments")]
    [InlineData("/api/")]
    public async Task UnknownOrMissingVersion_Returns400ListingSupportedVersions(string path)
    {
        using var client = estate.Gateway(TestPartnerKeys.Erp);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["v1", "v2"], problem.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task RetiredVersion_Returns410()
    {
        using var client = estate.Gateway(TestPartnerKeys.Erp);

        using var response = await client.GetAsync("/api/v0/shipments/by-business-key/x");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DeprecatedVersion_AnswersWithDeprecationSunsetAndSuccessorLink()
    {
        using var client = estate.Gateway(TestPartnerKeys.Portal);

        using var response = await client.GetAsync("/api/v1/estate/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("@" + DateTimeOffset.Parse("2026-11-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            response.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Wed, 30 Jun 2027 00:00:00 GMT", response.Headers.GetValues("Sunset").Single());
        Assert.Equal("</api/v2/estate/ping>; rel=\"successor-version\"", response.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task V2_ReturnsTheRicherRepresentation_V1TheSlimOne()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);
        var key = NewKey();
        using var released = await erp.SendAsync(Release(key));
        var id = (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var v1 = await erp.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{id}");
        var v2 = await erp.GetFromJsonAsync<JsonElement>($"/api/v2/shipments/{id}");

        Assert.False(v1.TryGetProperty("timeline", out _));
        Assert.Equal(key, v2.GetProperty("shipment").GetProperty("businessKey").GetString());
        Assert.Equal("C-1001", v2.GetProperty("release").GetProperty("customer").GetProperty("id").GetString());
        Assert.Single(v2.GetProperty("timeline").EnumerateArray());
    }

    public static TheoryData<string?, string, string, HttpStatusCode> AccessMatrix => new()
    {
        // key, method, path, expected
        { null, "GET", "/api/v2/estate/ping", HttpStatusCode.Unauthorized },
        { "not-a-key", "GET", "/api/v2/estate/ping", HttpStatusCode.Unauthorized },
        { TestPartnerKeys.Portal, "GET", "/api/v2/estate/ping", HttpStatusCode.OK },
        { TestPartnerKeys.Portal, "POST", "/api/v2/shipments", HttpStatusCode.Forbidden },
        { TestPartnerKeys.Portal, "GET", "/api/v2/dead-letters", HttpStatusCode.Forbidden },
        { TestPartnerKeys.Operations, "GET", "/api/v2/dead-letters", HttpStatusCode.OK },
        { TestPartnerKeys.Operations, "POST", "/api/v2/shipments", HttpStatusCode.Forbidden },
        { TestPartnerKeys.CarrierParcelFast, "GET", "/api/v2/shipments/by-business-key/x", HttpStatusCode.Forbidden },
        { TestPartnerKeys.CarrierFreightLine, "POST", "/api/v2/shipments", HttpStatusCode.Forbidden },
        { TestPartnerKeys.Erp, "GET", "/api/v2/dead-letters", HttpStatusCode.Forbidden },
        { TestPartnerKeys.Operations, "GET", "/api/v1/exceptions?status=open", HttpStatusCode.OK },
        { TestPartnerKeys.Operations, "POST", "/api/v2/exceptions/0195f000-0000-7000-8000-000000000000/retry", HttpStatusCode.NotFound },
        { TestPartnerKeys.Portal, "GET", "/api/v1/exceptions", HttpStatusCode.Forbidden },
        { TestPartnerKeys.Erp, "POST", "/api/v1/exceptions/0195f000-0000-7000-8000-000000000000/resolve", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(AccessMatrix))]
    public async Task ApiKeysAndScopes_DecideWhatIsProxied(string? apiKey, string method, string path, HttpStatusCode expected)
    {
        using var client = estate.Gateway(apiKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task ErpKey_ReleasesThroughTheGateway()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);

        using var response = await erp.SendAsync(Release(NewKey()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task CorrelationId_IsReturnedAndReachesTheOrchestrator()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);
        using var request = Release(NewKey());
        request.Headers.Add("X-Correlation-ID", "corr-edge-42");

        using var response = await erp.SendAsync(request);
        var shipment = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var generated = await erp.GetAsync("/api/v2/estate/ping");

        Assert.Equal("corr-edge-42", response.Headers.GetValues("X-Correlation-ID").Single());
        Assert.Equal("corr-edge-42", shipment.GetProperty("correlationId").GetString());
        Assert.Equal(32, generated.Headers.GetValues("X-Correlation-ID").Single().Length);
    }

    [Fact]
    public async Task Audit_IsAStructuredLogWithWhoScopeRouteStatusAndCorrelation_NotAConsoleLine()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp, replica: 0);
        var correlationId = "corr-audit-" + Guid.NewGuid().ToString("N");
        using var request = Release(NewKey());
        request.Headers.Add("X-Correlation-ID", correlationId);

        using var response = await erp.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var audit = await AuditRecordAsync($"{ResourceNames.Gateway}-0", correlationId);
        Assert.Equal("erp", audit["ClientId"]);
        Assert.Equal("shipments:write", audit["Scope"]);
        Assert.Equal("POST", audit["Method"]);
        Assert.Equal("/api/v2/shipments", audit["Path"]);
        Assert.Equal("shipments", audit["Route"]);
        Assert.Equal("201", audit["StatusCode"]);
        // Exported over OTLP only: a console line per request is what the gateway's throughput paid for.
        Assert.DoesNotContain(estate.App.Logs.Tail(ResourceNames.Gateway), l => l.Text.Contains(correlationId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_AlsoOnTheConsole_WhenConfiguredSo()
    {
        using var portal = estate.Gateway(TestPartnerKeys.Portal, replica: GatewayEstateFixture.ConsoleAuditReplica);
        var correlationId = "corr-console-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/estate/ping") { Headers = { { "X-Correlation-ID", correlationId } } };

        using var response = await portal.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.UntilAsync(
            () => estate.App.Logs.Tail(ResourceNames.Gateway).Any(l => l.Replica == GatewayEstateFixture.ConsoleAuditReplica
                && l.Text.Contains($"Audit portal scope=* GET /api/v2/estate/ping route=estate status=200 correlation={correlationId}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the audit line on the console of the replica configured for it");
        Assert.Equal("200", (await AuditRecordAsync($"{ResourceNames.Gateway}-{GatewayEstateFixture.ConsoleAuditReplica}", correlationId))["StatusCode"]);
    }

    [Fact]
    public async Task OversizedOrWronglyTypedBodies_AreRefusedAtTheEdge()
    {
        using var erp = estate.Gateway(TestPartnerKeys.Erp);

        using var oversized = await erp.PostAsync("/api/v2/shipments", new StringContent(new string('x', 9000), System.Text.Encoding.UTF8, "application/json"));
        using var xml = await erp.PostAsync("/api/v2/shipments", new StringContent("<release/>", System.Text.Encoding.UTF8, "application/xml"));
        // Chunked: no Content-Length to check up front, so the limit bites while the body streams.
        var chunked = new StreamContent(new MemoryStream(new byte[9000]));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v2/shipments") { Content = chunked };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        chunkedRequest.Headers.Add("Idempotency-Key", NewKey());
        using var oversizedChunked = await erp.SendAsync(chunkedRequest);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversizedChunked.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
    }

    public void Dispose() => _logs.Dispose();

    private static HttpRequestMessage Release(string key) => new(HttpMethod.Post, "/api/v2/shipments")
    {
        Content = JsonContent.Create(new
        {
            businessKey = key,
            customer = new { id = "C-1001", name = "Acme Retail" },
            shipTo = new { name = "Acme DC North", city = "Hamburg", country = "DE" },
            lines = new[] { new { sku = "SKU-100", quantity = 1, weightKg = 1m } },
            promisedBy = "2026-12-01T17:00:00+00:00",
        }),
        Headers = { { "Idempotency-Key", key } },
    };

    /// <summary>The audit record the gateway replica exported for <paramref name="correlationId"/>, as attribute name → value.</summary>
    private async Task<Dictionary<string, string>> AuditRecordAsync(string replica, string correlationId)
    {
        LogEntry? audit = null;
        await Eventually.UntilAsync(
            () => (audit = estate.App.Telemetry.Logs(new LogQuery(Resource: replica, Correlation: correlationId))
                .FirstOrDefault(l => l.Category == "LogisticsSync.ApiGateway.Audit")) is not null,
            TimeSpan.FromSeconds(20), $"the audit record of {correlationId} from {replica} in the dashboard");
        return audit!.Attributes.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.First().Value);
    }

    private static string NewKey() => "SO-" + Guid.NewGuid().ToString("N")[..12];
}
