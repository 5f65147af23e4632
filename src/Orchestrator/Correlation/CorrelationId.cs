using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Orchestrator.Correlation;

/// <summary>
/// The business correlation id every request, log line, trail row and event carries: taken from
/// <c>X-Correlation-ID</c> (the gateway sets it) or created here, and returned on the response.
/// </summary>
internal static partial class CorrelationId
{
    public const string HeaderName = ProtocolHeaders.CorrelationId;
    private const int MaxLength = 128;
    private static readonly object ItemKey = new();

    public static string Of(HttpContext context) => context.Items[ItemKey] as string ?? context.TraceIdentifier;

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var presented = context.Request.Headers[HeaderName].ToString();
        var correlationId = IsAcceptable(presented) ? presented : Guid.NewGuid().ToString("N");
        context.Items[ItemKey] = correlationId;
        context.Response.Headers[HeaderName] = correlationId;
        System.Diagnostics.Activity.Current?.SetTag("correlation.id", correlationId);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("LogisticsSync.Orchestrator.Correlation");
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId }))
        {
            await next(context);
        }
    });

    // Anything is accepted as long as it is short and printable: ids come from partners' systems.
    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => c is > ' ' and < (char)127);
}
