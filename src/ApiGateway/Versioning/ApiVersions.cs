using System.Globalization;
using Microsoft.Extensions.Options;

namespace LogisticsSync.ApiGateway.Versioning;

public enum ApiVersionStatus
{
    Supported,
    Deprecated,
    Retired,
}

/// <summary>
/// Only known API versions pass: a missing or unknown version is a 400 listing the supported ones,
/// a retired one a 410, and a deprecated one answers with <c>Deprecation</c>, <c>Sunset</c> and a
/// <c>Link</c> to its successor.
/// </summary>
internal static class ApiVersionGate
{
    public static IApplicationBuilder UseApiVersionGate(this IApplicationBuilder app)
    {
        var gatewayOptions = app.ApplicationServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>();
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (!path.StartsWithSegments("/api", out var rest))
            {
                await next(context);
                return;
            }

            var versions = gatewayOptions.CurrentValue.Versions;
            var version = FirstSegment(rest.Value);
            if (!versions.TryGetValue(version, out var options))
            {
                var supported = versions.Where(v => v.Value.Status != ApiVersionStatus.Retired).Select(v => v.Key).Order().ToList();
                await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Unknown API version",
                    detail: $"'{version}' is not an API version. Supported: {string.Join(", ", supported)} (e.g. /api/{supported.FirstOrDefault()}/shipments).",
                    extensions: new Dictionary<string, object?> { ["supportedVersions"] = supported }).ExecuteAsync(context);
                return;
            }

            if (options.Status == ApiVersionStatus.Retired)
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status410Gone,
                    title: "API version retired",
                    detail: $"API {version} is retired{(options.Successor is { } successor ? $"; use {successor}" : "")}.").ExecuteAsync(context);
                return;
            }

            if (options.Status == ApiVersionStatus.Deprecated)
            {
                AddDeprecationHeaders(context, rest.Value![(rest.Value!.IndexOf(version, StringComparison.Ordinal) + version.Length)..], options);
            }

            await next(context);
        });
    }

    // "/v1/shipments/…" → "v1"; an empty segment (a doubled slash) is skipped, as routing would.
    private static string FirstSegment(string? path)
    {
        var rest = path.AsSpan().TrimStart('/');
        var end = rest.IndexOf('/');
        return (end < 0 ? rest : rest[..end]).ToString();
    }

    /// <param name="pathAfterVersion">The request path after <c>/api/{version}</c>, as routed (decoded).</param>
    private static void AddDeprecationHeaders(HttpContext context, string pathAfterVersion, ApiVersionOptions options)
    {
        var headers = context.Response.Headers;
        // RFC 9745: a structured-field date, "@" followed by Unix seconds.
        headers["Deprecation"] = "@" + (options.DeprecatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (options.Sunset is { } sunset)
        {
            headers["Sunset"] = sunset.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        }

        if (options.Successor is { } successor)
        {
            // Re-encoded: a header value must stay ASCII whatever the path held.
            var successorPath = new PathString("/api/" + successor).Add(new PathString(pathAfterVersion)).ToUriComponent();
            headers.Append("Link", $"<{successorPath}>; rel=\"successor-version\"");
        }
    }
}
