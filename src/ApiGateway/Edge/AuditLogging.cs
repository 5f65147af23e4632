using Microsoft.Extensions.Logging.Console;

namespace LogisticsSync.ApiGateway.Edge;

/// <summary>
/// The audit trail: one structured log per partner request (event 9001 in category <see cref="Category"/>,
/// with ClientId, Scope, Method, Path, Route, StatusCode, CorrelationId and ElapsedMs as attributes),
/// exported over OTLP with the rest of the gateway's logs.
/// </summary>
internal static class AuditLogging
{
    public const string Category = "LogisticsSync.ApiGateway.Audit";
    public const string ConsoleLevelKey = "Logging:Console:LogLevel:" + Category;

    /// <summary>
    /// Keeps the audit off the console while there is an OTLP endpoint to send it to. A console line
    /// per request was the gateway's largest single cost (load/README.md, gateway overhead): the
    /// console logger blocks the request once its queue is full, and whoever reads the console pays
    /// for every line again. OTLP batches the same structured record off the request path. Setting
    /// <c>Logging__Console__LogLevel__LogisticsSync.ApiGateway.Audit=Information</c> puts it back on the
    /// console; without an OTLP endpoint the console is where it goes.
    /// </summary>
    public static WebApplicationBuilder AddAuditLogging(this WebApplicationBuilder builder)
    {
        var exportsLogs = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (exportsLogs && builder.Configuration[ConsoleLevelKey] is null)
        {
            builder.Logging.AddFilter<ConsoleLoggerProvider>(Category, LogLevel.None);
        }

        return builder;
    }
}
