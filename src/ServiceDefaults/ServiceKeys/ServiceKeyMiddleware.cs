using LogisticsSync.ServiceDefaults.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LogisticsSync.ServiceDefaults.ServiceKeys;

/// <summary>
/// Refuses a call to a protected path that does not carry the estate's key: a 401 problem, before routing, so an unknown
/// path under a protected prefix tells a keyless caller nothing either. Health and liveness stay open for probes.
/// </summary>
internal sealed partial class ServiceKeyMiddleware(RequestDelegate next, ServiceKey key, ServiceKeyPaths paths, ILogger<ServiceKeyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!paths.Protects(context.Request.Path) || key.Matches(context.Request.Headers[ProtocolHeaders.ServiceKey].ToString()))
        {
            await next(context);
            return;
        }

        var missing = context.Request.Headers[ProtocolHeaders.ServiceKey].Count == 0;
        LogRefused(context.Request.Method, context.Request.Path, missing ? "missing" : "wrong");
        context.Response.Headers.WWWAuthenticate = $"ServiceKey header=\"{ProtocolHeaders.ServiceKey}\"";
        await Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: missing ? "Service key required" : "Wrong service key",
            detail: key.Value is null
                ? $"This service was started without {ServiceKey.ConfigurationKey}: it refuses every internal call."
                : $"Internal APIs answer only the estate's services: send the estate's key in the {ProtocolHeaders.ServiceKey} header. Partners call the gateway.")
            .ExecuteAsync(context);
    }

    [LoggerMessage(EventId = LogEventIds.ServiceKeyRefused, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: service key {Reason}")]
    private partial void LogRefused(string method, string path, string reason);
}

/// <summary>The paths a service protects with its key: the given prefixes, or every path when none is given; never health.</summary>
internal sealed class ServiceKeyPaths(PathString[] prefixes, PathString[] open)
{
    public bool Protects(PathString path) =>
        !open.Any(o => path.StartsWithSegments(o, StringComparison.OrdinalIgnoreCase))
        && (prefixes.Length == 0 || prefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)));
}
