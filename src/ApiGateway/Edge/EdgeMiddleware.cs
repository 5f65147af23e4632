using System.Diagnostics;
using LogisticsSync.ApiGateway.Authentication;
using LogisticsSync.ApiGateway.Versioning;
using LogisticsSync.ServiceDefaults.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace LogisticsSync.ApiGateway.Edge;

/// <summary>What every request meets at the edge, before and after it is proxied.</summary>
internal static partial class EdgeMiddleware
{
    public const string CorrelationHeader = ProtocolHeaders.CorrelationId;
    private const int MaxCorrelationIdLength = 128;

    /// <summary>
    /// Accepts <c>X-Correlation-ID</c> or creates one, returns it, forwards it upstream and tags the
    /// trace with it; then writes one audit line per request: who, scope, route, status, correlation id.
    /// </summary>
    public static IApplicationBuilder UseCorrelationAndAudit(this IApplicationBuilder app)
    {
        // Created once: the factory takes a lock for every logger it hands out.
        var auditLogger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(AuditLogging.Category);
        return app.Use(async (context, next) =>
        {
            var presented = context.Request.Headers[CorrelationHeader].ToString();
            var correlationId = presented.Length is > 0 and <= MaxCorrelationIdLength && presented.All(c => c is > ' ' and < (char)127)
                ? presented
                : Guid.NewGuid().ToString("N");
            context.Request.Headers[CorrelationHeader] = correlationId;
            // Set when the response starts: the upstream echoes the header too, and one copy is enough.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[CorrelationHeader] = correlationId;
                return Task.CompletedTask;
            });
            Activity.Current?.SetTag("correlation.id", correlationId);

            var clock = Stopwatch.StartNew();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                // The server answers 500 for what escapes here: the audit line must say so, not 200.
                failed = true;
                throw;
            }
            finally
            {
                if (IsPartnerTraffic(context.Request.Path))
                {
                    Audit(auditLogger, context, failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode,
                        correlationId, clock.Elapsed.TotalMilliseconds);
                }
            }
        });
    }

    // Health probes every few seconds are not partner activity: auditing them would bury the real lines.
    private static bool IsPartnerTraffic(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/webhooks");

    private static void Audit(ILogger logger, HttpContext context, int statusCode, string correlationId, double elapsedMs)
    {
        var caller = ApiKeyAuthorization.CallerOf(context);
        LogAudit(logger, caller?.ClientId ?? "anonymous", caller?.Scope ?? "-", context.Request.Method, context.Request.Path,
            context.GetEndpoint()?.DisplayName ?? "-", statusCode, correlationId, elapsedMs);
    }

    /// <summary>Bodies over the limit → 413; a body that is not JSON → 415. Checked before anything is proxied.</summary>
    public static IApplicationBuilder UseRequestHygiene(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            // Refused before the limit is set on the connection: Kestrel then reads the unread body
            // away after the answer, so the client gets its 413 instead of a reset mid-upload.
            await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"Bodies are at most {limit} bytes.").ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            // Chunked bodies have no Content-Length: Kestrel enforces the limit while they stream.
            bodySize.MaxRequestBodySize = limit;
        }

        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;
        if (hasBody && !context.Request.HasJsonContentType())
        {
            await Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Request bodies are JSON: send Content-Type: application/json.").ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    /// <summary>A failed forward (upstream down, timed out) answers with problem details, not an empty 502/504.</summary>
    public static IReverseProxyApplicationBuilder UseForwarderProblems(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            await next();
            if (context.GetForwarderErrorFeature() is { } error && !context.Response.HasStarted)
            {
                // YARP has set the status already: 413/408/400 for the client's own body, 502/503/504 upstream.
                var status = context.Response.StatusCode;
                await Results.Problem(
                    statusCode: status,
                    title: status switch
                    {
                        StatusCodes.Status504GatewayTimeout => "Upstream timed out",
                        StatusCodes.Status413PayloadTooLarge => "Request body too large",
                        < 500 => "The request body could not be read",
                        _ => "Upstream unavailable",
                    },
                    detail: $"The gateway could not complete the request ({error.Error}).").ExecuteAsync(context);
            }
        });
        return proxy;
    }

    [LoggerMessage(EventId = LogEventIds.EdgeMiddlewareAudit, Level = LogLevel.Information,
        Message = "Audit {ClientId} scope={Scope} {Method} {Path} route={Route} status={StatusCode} correlation={CorrelationId} in {ElapsedMs:0.0} ms")]
    private static partial void LogAudit(ILogger logger, string clientId, string scope, string method, string path, string route, int statusCode, string correlationId, double elapsedMs);
}
