using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.Dashboard.Tests;

[Collection(DashboardEstateCollection.Name)]
public sealed class DashboardEndToEndTests(DashboardEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task GatewayRequest_TraceSpansGatewayAndOrchestrator_FoundWithItsLogsThroughTheDashboardApi()
    {
        var correlationId = $"e2e-{Guid.NewGuid():N}";
        using (var gateway = estate.App.CreateHttpClient(ResourceNames.Gateway))
        {
            gateway.DefaultRequestHeaders.Add("X-Api-Key", TestPartnerKeys.Portal);
            gateway.DefaultRequestHeaders.Add("X-Correlation-ID", correlationId);
            using var response = await gateway.GetAsync("/api/v1/estate/ping");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var dashboard = estate.CreateDashboardClient();
        // Each service exports its spans when they end: wait until both services' server spans are in.
        var trace = await EventuallyAsync(async () =>
        {
            var traces = await dashboard.GetFromJsonAsync<JsonElement>($"/api/telemetry/traces?correlation={correlationId}");
            foreach (var candidate in traces.EnumerateArray())
            {
                var detail = await dashboard.GetFromJsonAsync<JsonElement>($"/api/telemetry/traces/{candidate.GetProperty("traceId").GetString()}");
                var spans = detail.GetProperty("spans").EnumerateArray().ToList();
                if (spans.Exists(s => Is(s, ResourceNames.Gateway, "Server")) && spans.Exists(s => Is(s, ResourceNames.Orchestrator, "Server")))
                {
                    return detail;
                }
            }

            return default;
        });
        var summary = trace.GetProperty("summary");
        var traceId = summary.GetProperty("traceId").GetString()!;
        Assert.Contains(correlationId, Strings(summary, "correlationIds"));
        Assert.Equal([ResourceNames.Gateway, ResourceNames.Orchestrator], Strings(summary, "services"));
        var spans = trace.GetProperty("spans").EnumerateArray().ToList();
        var gatewayServer = spans.Single(s => Is(s, ResourceNames.Gateway, "Server") && s.GetProperty("parentSpanId").ValueKind == JsonValueKind.Null);
        var orchestratorServer = spans.Single(s => Is(s, ResourceNames.Orchestrator, "Server"));
        // W3C trace context carried through YARP: the orchestrator's span hangs under the gateway's outgoing call.
        var parentOfOrchestrator = spans.Single(s => s.GetProperty("spanId").GetString() == orchestratorServer.GetProperty("parentSpanId").GetString());
        Assert.True(Is(parentOfOrchestrator, ResourceNames.Gateway, "Client"), $"the orchestrator's parent is {parentOfOrchestrator}");
        Assert.Contains(gatewayServer.GetProperty("attributes").EnumerateArray(),
            a => a.GetProperty("key").GetString() == "correlation.id" && a.GetProperty("value").GetString() == correlationId);

        // Its logs: the gateway's audit line carries the correlation id and links back to the trace.
        var logs = await EventuallyAsync(async () =>
        {
            var found = await dashboard.GetFromJsonAsync<JsonElement>($"/api/telemetry/logs?correlation={correlationId}&level=information");
            return found.GetArrayLength() > 0 ? found : default;
        });
        var audit = logs.EnumerateArray().First();
        Assert.Equal(ResourceNames.Gateway, audit.GetProperty("serviceName").GetString());
        Assert.Equal(traceId, audit.GetProperty("traceId").GetString());
        Assert.Contains("/api/v1/estate/ping", audit.GetProperty("message").GetString(), StringComparison.Ordinal);

        var export = await dashboard.GetFromJsonAsync<JsonElement>("/api/telemetry/export");
        Assert.Contains(export.GetProperty("resourceSpans").EnumerateArray().SelectMany(r => r.GetProperty("scopeSpans").EnumerateArray())
            .SelectMany(s => s.GetProperty("spans").EnumerateArray()), s => s.GetProperty("traceId").GetString() == traceId);
        Assert.True(export.GetProperty("resourceMetrics").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Command_SessionCookieFromAnotherLoopbackPort_RefusedBeforeTheCommandRuns()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = estate.App.DashboardUrl };
        using var login = await browser.GetAsync($"/login?t={estate.App.ControlToken}");
        var session = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        // An unknown resource: were the request let through, it would answer 404 and stop nothing.
        HttpRequestMessage Command(string origin) => new(HttpMethod.Post, "/api/resources/no-such-resource/commands/stop")
        {
            Headers = { { "Cookie", session }, { "Origin", origin } },
        };
        using var forged = await browser.SendAsync(Command("http://127.0.0.1:8080"));
        using var own = await browser.SendAsync(Command(estate.App.DashboardUrl.GetLeftPart(UriPartial.Authority)));

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
        Assert.Contains("frame-ancestors 'none'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_EveryServiceExports_InstrumentsAndSeriesThroughTheDashboardApi()
    {
        using var dashboard = estate.CreateDashboardClient();

        var instruments = await EventuallyAsync(async () =>
        {
            var found = await dashboard.GetFromJsonAsync<JsonElement>($"/api/telemetry/metrics?resource={ResourceNames.Orchestrator}");
            return found.EnumerateArray().Any(i => i.GetProperty("name").GetString() == "process.runtime.dotnet.gc.collections.count"
                || i.GetProperty("name").GetString()!.StartsWith("dotnet.", StringComparison.Ordinal)) ? found : default;
        });
        var instrument = instruments.EnumerateArray().First();
        var series = await dashboard.GetFromJsonAsync<JsonElement>(
            $"/api/telemetry/metrics/{instrument.GetProperty("resourceId").GetString()}/{instrument.GetProperty("name").GetString()}");
        Assert.True(series[0].GetProperty("points").GetArrayLength() > 0);

        using var unknownLevel = await dashboard.GetAsync("/api/telemetry/logs?level=loud");
        Assert.Equal(HttpStatusCode.BadRequest, unknownLevel.StatusCode);
        using var unknownTrace = await dashboard.GetAsync("/api/telemetry/traces/0123");
        Assert.Equal(HttpStatusCode.NotFound, unknownTrace.StatusCode);
        using var anonymous = new HttpClient { BaseAddress = estate.App.DashboardUrl };
        using var refused = await anonymous.GetAsync("/api/telemetry/traces");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    public void Dispose() => _logs.Dispose();

    private static bool Is(JsonElement span, string service, string kind) =>
        span.GetProperty("serviceName").GetString() == service && span.GetProperty("kind").GetString() == kind;

    private static List<string?> Strings(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetString()).ToList();

    /// <summary>Telemetry arrives within about a second of the request (1 s export interval): poll for up to 30 s.</summary>
    internal static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = await probe();
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "not found through the dashboard API within 30 s");
            await Task.Delay(250);
        }
    }
}
