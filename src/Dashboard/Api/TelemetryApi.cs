using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LogisticsSync.Dashboard.Api;

/// <summary>
/// The telemetry the dashboard holds, as JSON: what the pages read, and what scripts and tests call.
/// Mapped inside the control API's authenticated group (bearer token or session cookie).
/// </summary>
internal static class TelemetryApi
{
    private const int MaxLimit = 5_000;

    public static RouteGroupBuilder MapTelemetryApi(this RouteGroupBuilder api, TelemetryStore store, TelemetryIntake intake)
    {
        var telemetry = api.MapGroup("/telemetry");
        telemetry.MapGet("", () => Results.Ok(new { received = intake.Snapshot(), held = store.Counts() }));
        telemetry.MapGet("/resources", () => Results.Ok(store.Resources()));
        telemetry.MapGet("/logs", (string? resource, string? level, string? text, string? correlation, string? traceId, long? after, int? limit) =>
            TryParseLevel(level, out var minSeverity)
                ? Results.Ok(store.Logs(new LogQuery(resource, minSeverity, text, correlation, traceId, after, Limit(limit, 200))))
                : UnknownLevel(level!));
        telemetry.MapGet("/spans", (string? resource, int? limit) => Results.Ok(store.Spans(resource, Limit(limit, 200))));
        telemetry.MapGet("/traces", (string? resource, string? correlation, bool? errors, int? limit) =>
            Results.Ok(store.Traces(new TraceQuery(resource, correlation, errors ?? false, Limit(limit, 100)))));
        telemetry.MapGet("/traces/{traceId}", (string traceId) => store.Trace(traceId) is { } trace
            ? Results.Ok(trace)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown trace",
                detail: $"No span of trace '{traceId}' is held: it was never received, or it was dropped to stay within the limits."));
        telemetry.MapGet("/metrics", (string? resource) => Results.Ok(store.Instruments(resource)));
        telemetry.MapGet("/metrics/{resource}/{name}", (string resource, string name) => store.Series(resource, name) is { } series
            ? Results.Ok(series)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown instrument",
                detail: $"'{resource}' has sent no instrument named '{name}'."));
        telemetry.MapGet("/export", (HttpContext context) =>
        {
            context.Response.Headers.ContentDisposition = $"attachment; filename=telemetry-{DateTime.UtcNow:yyyyMMdd-HHmmss}.otlp.json";
            return Results.Stream(stream => OtlpJsonExport.WriteAsync(store, stream), "application/json");
        });
        return api;
    }

    private static int Limit(int? requested, int defaultValue) => Math.Clamp(requested ?? defaultValue, 1, MaxLimit);

    private static IResult UnknownLevel(string level) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown log level",
            detail: $"'{level}' is not one of trace, debug, information, warning, error, critical, or an OTLP severity number 1-24.");

    /// <summary>The lowest severity shown: a level name as .NET spells it, or an OTLP severity number; none for all.</summary>
    internal static bool TryParseLevel(string? level, out int? minSeverity)
    {
        minSeverity = level?.ToLowerInvariant() switch
        {
            null or "" or "all" => null,
            "trace" => 1,
            "debug" => 5,
            "information" or "info" => 9,
            "warning" or "warn" => 13,
            "error" => 17,
            "critical" or "fatal" => 21,
            var text when int.TryParse(text, out var number) && number is >= 1 and <= 24 => number,
            _ => -1,
        };
        return minSeverity != -1;
    }
}
