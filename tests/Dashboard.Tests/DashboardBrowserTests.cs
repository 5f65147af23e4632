using LogisticsSync.Tests.Shared;
using System.Net;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LogisticsSync.Dashboard.Tests;

/// <summary>
/// The dashboard as a person uses it, in headless Chromium (Debian's chromium package driven by
/// Microsoft.Playwright): log in, see the resources healthy, follow a request from the trace list to its
/// waterfall, chart a metric; on the operations page, resolve an exception and open a shipment's timeline and trace. Each page's screenshot goes to the test output; with
/// <c>UPDATE_SCREENSHOTS=1</c> to docs/screenshots/ for the README (so a test run leaves the tree clean).
/// </summary>
[Collection(DashboardEstateCollection.Name)]
public sealed class DashboardBrowserTests(DashboardEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private static readonly string ScreenshotDirectory = Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(EstateOptions.RepositoryRoot, "docs", "screenshots")
        : Path.Combine(AppContext.BaseDirectory, "screenshots");
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task Browser_LogsIn_SeesResourcesHealthy_OpensTraceWaterfallAndMetricChart()
    {
        var correlationId = $"SO-{Random.Shared.Next(10_000, 99_999)}";
        await SendThroughGatewayAsync(correlationId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, BaseURL = estate.App.DashboardUrl.ToString() });
        var page = await NewPageAsync(context);

        // Not logged in: the dashboard asks for the token, and a wrong one is refused.
        await page.GotoAsync("/resources");
        Assert.StartsWith("/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("input[name=token]", "not-the-token");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[role=alert]");
        await page.FillAsync("input[name=token]", estate.App.ControlToken);
        await page.ClickAsync("button[type=submit]");
        // Waiting on the page's content rather than on navigation events: the redirect may be done already.
        await page.WaitForSelectorAsync("#resources tbody [data-resource]");
        Assert.Equal("/resources", new Uri(page.Url).AbsolutePath);
        var session = Assert.Single(await context.CookiesAsync(), c => c.Name == "estate_dashboard");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);

        // Resources: every one healthy; a row opens its command line and environment, secrets masked.
        var resourceCount = estate.App.Resources.Count;
        await page.WaitForFunctionAsync($$"""
            () => {
              const states = [...document.querySelectorAll('#resources tbody [data-resource] td:nth-child(3) [data-state]')].map(e => e.dataset.state);
              return states.length === {{resourceCount}} && states.every(s => s === 'Healthy');
            }
            """);
        await page.ClickAsync($"tr[data-resource={ResourceNames.Orchestrator}]");
        await page.WaitForSelectorAsync("#resource-detail table.environment");
        var environment = await page.InnerTextAsync("#resource-detail");
        Assert.Contains("ConnectionStrings__logistics", environment, StringComparison.Ordinal);
        Assert.Contains("Password=••••••", environment, StringComparison.Ordinal);
        Assert.DoesNotContain(estate.App.OtlpApiKey, environment, StringComparison.Ordinal);
        await ScreenshotAsync(page, "resources");

        // Console logs: the gateway's own output, live (its audit goes to OTLP, not to the console).
        await page.GotoAsync($"/console?resource={ResourceNames.Gateway}");
        await page.WaitForFunctionAsync("() => document.querySelector('#console').textContent.includes('Now listening on')");
        await ScreenshotAsync(page, "console-logs");

        // Structured logs for the correlation id; the row links to its trace.
        await page.GotoAsync($"/logs?correlation={correlationId}");
        await page.WaitForSelectorAsync("#logs tbody td a");
        await ScreenshotAsync(page, "structured-logs");

        // Traces: the list filtered by the business key, then the waterfall across both services.
        await page.GotoAsync($"/traces?correlation={correlationId}");
        await page.WaitForSelectorAsync("#traces tbody td a");
        await ScreenshotAsync(page, "traces");
        await page.ClickAsync("#traces tbody td a");
        await page.WaitForFunctionAsync($$"""
            () => {
              const services = [...document.querySelectorAll('.span-row .service')].map(e => e.textContent);
              return services.includes('{{ResourceNames.Gateway}}') && services.includes('{{ResourceNames.Orchestrator}}');
            }
            """);
        await page.ClickAsync($".span-row:has(.service:text-is('{ResourceNames.Orchestrator}'))");
        await page.WaitForSelectorAsync("#span-detail table");
        Assert.Contains("http.route", await page.InnerTextAsync("#span-detail"), StringComparison.Ordinal);
        await ScreenshotAsync(page, "trace-waterfall");

        // Metrics: the gateway's request duration, charted.
        await page.GotoAsync($"/metrics?resource={ResourceNames.Gateway}-0&instrument=http.server.request.duration");
        await page.WaitForSelectorAsync("#chart svg polyline");
        await ScreenshotAsync(page, "metrics");
    }

    [Fact]
    public async Task Browser_OperationsPage_ShowsBusinessState_ResolvesABreachedException_OpensTimelineAndTrace()
    {
        var keys = Enumerable.Range(0, 3).Select(i => $"SO-{Random.Shared.Next(10_000, 99_999)}{i}").ToArray();
        var shipments = new List<Guid>();
        foreach (var key in keys)
        {
            shipments.Add(await estate.ReleaseAsync(key));
        }

        var exceptionId = await estate.OpenBreachedExceptionAsync(shipments[0], keys[0]);
        await estate.SeedDeadLetterAsync(keys[1]);
        await estate.RunReconciliationAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 }, BaseURL = estate.App.DashboardUrl.ToString() });
        var page = await NewPageAsync(context);

        // The console's one-click link, straight to the page; the navigation of every page leads here.
        await page.GotoAsync($"/login?t={estate.App.ControlToken}&returnUrl=%2Foperations");
        await page.WaitForSelectorAsync($"#ops-exceptions tr[data-exception='{exceptionId}'] .badge.Error");
        Assert.Equal("Operations", await page.InnerTextAsync("header nav a[aria-current=page]"));
        await page.WaitForSelectorAsync("#ops-states tr[data-state=Released]");
        await page.WaitForSelectorAsync($"#ops-in-flight tr[data-shipment-row='{shipments[2]}']");
        await page.WaitForSelectorAsync("#ops-owners tr[data-owner=integration-operations]");
        await page.WaitForSelectorAsync("#ops-throughput svg polyline[data-series=released]");
        await page.WaitForSelectorAsync("#ops-dead-letters tr[data-dead-letter] button[data-action=replay]");
        Assert.Contains("on-demand run completed", await page.InnerTextAsync("#ops-run"), StringComparison.Ordinal);
        Assert.Contains("through the gateway", await page.InnerTextAsync("#operations-status"), StringComparison.Ordinal);
        await ScreenshotAsync(page, "operations", fullPage: true);

        // Resolve: typed in the row, sent through the dashboard, and the row leaves the open queue.
        var row = $"#ops-exceptions tr[data-exception='{exceptionId}']";
        await page.FillAsync($"{row} input[name=resolution]", "re-released to the warehouse by hand");
        await page.ClickAsync($"{row} button[data-action=resolve]");
        await page.WaitForSelectorAsync(row, new() { State = WaitForSelectorState.Detached });

        // A shipment opens its timeline, and its trace is one click further.
        await page.ClickAsync($"#ops-in-flight a[data-shipment='{shipments[0]}']");
        await page.WaitForSelectorAsync("#shipment-timeline tbody tr");
        Assert.Contains(keys[0], await page.InnerTextAsync("#shipment-detail h2"), StringComparison.Ordinal);
        await page.ClickAsync("#shipment-detail a[data-trace-link]");
        await page.WaitForSelectorAsync("#traces tbody td a");
        Assert.Equal("/traces", new Uri(page.Url).AbsolutePath);
    }

    public void Dispose() => _logs.Dispose();

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args = ["--disable-gpu", "--disable-quic"],
    });

    private async Task<IPage> NewPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        page.Console += (_, message) => output.WriteLine($"browser console: {message.Text}");
        page.PageError += (_, error) => output.WriteLine($"browser error: {error}");
        page.FrameNavigated += (_, frame) => output.WriteLine($"browser at {frame.Url}");
        return page;
    }

    private async Task SendThroughGatewayAsync(string correlationId)
    {
        using var gateway = estate.App.CreateHttpClient(ResourceNames.Gateway);
        gateway.DefaultRequestHeaders.Add("X-Api-Key", TestPartnerKeys.Portal);
        gateway.DefaultRequestHeaders.Add("X-Correlation-ID", correlationId);
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.GetAsync("/api/v1/estate/ping");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = fullPage });
    }
}
