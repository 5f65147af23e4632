using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static LogisticsSync.Dashboard.Pages.PageLayout;

namespace LogisticsSync.Dashboard.Pages;

/// <summary>
/// The dashboard's pages: rendered on the server with their filters filled in (so a filtered URL can be
/// shared and reloaded), then kept live by a small script that polls the JSON API.
/// </summary>
internal static class DashboardPages
{
    private static readonly (string Value, string Text)[] Levels =
        [("", "all"), ("debug", "debug+"), ("information", "information+"), ("warning", "warning+"), ("error", "error+")];

    public static IEndpointRouteBuilder MapDashboardPages(this IEndpointRouteBuilder endpoints, DistributedApplication estate, TelemetryStore telemetry, ControlAccess access)
    {
        endpoints.MapGet("/assets/{file}", (string file) => DashboardAssets.Serve(file));
        endpoints.MapGet("/favicon.ico", () => Results.NoContent());
        var pages = endpoints.MapGroup("").AddEndpointFilter(async (context, next) =>
            access.IsAuthorized(context.HttpContext.Request)
                ? await next(context)
                : Results.Redirect($"/login?returnUrl={Uri.EscapeDataString(context.HttpContext.Request.Path + context.HttpContext.Request.QueryString)}"));

        pages.MapGet("/", () => Results.Redirect("/resources"));
        pages.MapGet("/resources", () => ResourcesPage());
        pages.MapGet("/operations", () => Results.Content(Render("Operations", "operations", OperationsPage.Body, script: "operations.js"), "text/html; charset=utf-8"));
        pages.MapGet("/console", (string? resource, string? search) => ConsolePage(estate, resource, search));
        pages.MapGet("/logs", (string? resource, string? level, string? text, string? correlation, string? traceId) => LogsPage(telemetry, resource, level, text, correlation, traceId));
        pages.MapGet("/traces", (string? resource, string? correlation) => TracesPage(telemetry, resource, correlation));
        pages.MapGet("/traces/{traceId}", (string traceId) => TracePage(traceId));
        pages.MapGet("/metrics", (string? resource, string? instrument) => MetricsPage(telemetry, resource, instrument));
        return endpoints;
    }

    private static IResult ResourcesPage() => Html("Resources", "resources", """
            <h1>Resources</h1>
            <table class="grid" id="resources">
              <thead><tr><th>Name</th><th>Type</th><th>State</th><th>Health</th><th>Replicas (pid · restarts · uptime)</th><th>Endpoints</th><th>Commands</th></tr></thead>
              <tbody></tbody>
            </table>
            <section id="resource-detail" class="detail" hidden></section>
        """);

    private static IResult ConsolePage(DistributedApplication estate, string? resource, string? search) => Html("Console logs", "console", $"""
            <h1>Console logs</h1>
            <form class="filters">
              {Select("resource", "Resource", estate.Resources.Select(r => (r.Name, r.Name)), resource ?? estate.Resources.FirstOrDefault()?.Name)}
              {TextInput("search", "Search", search, "text in a line")}
              <label><input type="checkbox" id="follow" checked> follow</label>
            </form>
            <pre id="console" class="console" aria-live="polite"></pre>
        """);

    private static IResult LogsPage(TelemetryStore telemetry, string? resource, string? level, string? text, string? correlation, string? traceId) => Html("Structured logs", "logs", $"""
            <h1>Structured logs</h1>
            <form class="filters">
              {Select("resource", "Resource", TelemetryResourceOptions(telemetry), resource)}
              {Select("level", "Level", Levels, level)}
              {TextInput("text", "Text", text, "message, category or attribute")}
              {TextInput("correlation", "Correlation id / business key", correlation, "e.g. SO-10001")}
              <input type="hidden" name="traceId" id="filter-traceId" value="{Encode(traceId)}">
            </form>
            <table class="grid" id="logs">
              <thead><tr><th>Time</th><th>Resource</th><th>Level</th><th>Message</th><th>Trace</th></tr></thead>
              <tbody></tbody>
            </table>
            <section id="log-detail" class="detail" hidden></section>
        """);

    private static IResult TracesPage(TelemetryStore telemetry, string? resource, string? correlation) => Html("Traces", "traces", $"""
            <h1>Traces</h1>
            <form class="filters">
              {Select("resource", "Resource", TelemetryResourceOptions(telemetry), resource)}
              {TextInput("correlation", "Correlation id / business key / trace id", correlation, "e.g. SO-10001")}
              <label><input type="checkbox" name="errors" id="filter-errors" value="true"> errors only</label>
            </form>
            <table class="grid" id="traces">
              <thead><tr><th>Start</th><th>Name</th><th>Duration</th><th>Spans</th><th>Errors</th><th>Resources</th><th>Correlation</th></tr></thead>
              <tbody></tbody>
            </table>
        """);

    private static IResult TracePage(string traceId) => Html($"Trace {traceId}", "trace", $"""
            <h1>Trace <code>{Encode(traceId)}</code></h1>
            <p id="trace-summary" class="summary"></p>
            <p><a href="/logs?traceId={Encode(traceId)}">Logs of this trace</a></p>
            <div id="waterfall" class="waterfall" data-trace-id="{Encode(traceId)}"></div>
            <section id="span-detail" class="detail" hidden></section>
        """);

    private static IResult MetricsPage(TelemetryStore telemetry, string? resource, string? instrument) => Html("Metrics", "metrics", $"""
            <h1>Metrics</h1>
            <form class="filters">
              {Select("resource", "Resource", telemetry.Resources().Select(r => (r.Id, r.Id)), resource)}
              <label>Instrument <select name="instrument" id="filter-instrument" data-selected="{Encode(instrument)}"></select></label>
            </form>
            <p id="instrument-description" class="summary"></p>
            <div id="chart" class="chart"></div>
        """);

    private static IResult Html(string title, string page, string body) =>
        Results.Content(Render(title, page, body), "text/html; charset=utf-8");

    /// <summary>Every service and every replica that has sent telemetry, services first ("all" at the top).</summary>
    private static IEnumerable<(string Value, string Text)> TelemetryResourceOptions(TelemetryStore telemetry)
    {
        var resources = telemetry.Resources();
        var services = resources.Select(r => r.ServiceName).Distinct().Order(StringComparer.Ordinal).Select(s => (s, s));
        var replicas = resources.Where(r => r.Id != r.ServiceName).Select(r => (r.Id, $"  {r.Id}"));
        return services.Concat(replicas).OrderBy(o => o.Item1, StringComparer.Ordinal).Prepend(("", "all"));
    }
}
