using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Health;
using LogisticsSync.ServiceDefaults.Input;
using LogisticsSync.ServiceDefaults.Logging;
using LogisticsSync.ServiceDefaults.Problems;
using LogisticsSync.ServiceDefaults.ServiceKeys;
using LogisticsSync.ServiceDefaults.Tracing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// Aspire puts its service defaults in this namespace so that Program.cs needs no using; we mirror it.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The cross-cutting defaults every LogisticsSync service starts with: OpenTelemetry, health checks,
/// service discovery and resilient HTTP clients, mirroring an Aspire ServiceDefaults project.
/// </summary>
public static class ServiceDefaultsExtensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";
    private static readonly string[] OtlpExporterHttpClientNames = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddQuietConsoleDefaults();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(ServiceIdentity.FromConfiguration(builder.Configuration, builder.Environment));

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.TryAddSingleton(ServiceKey.FromConfiguration(builder.Configuration));
        builder.Services.TryAddTransient<ServiceKeyHandler>();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
            // Every call a service makes carries the estate's key (docs/security.md, "Service key").
            http.AddHttpMessageHandler<ServiceKeyHandler>();
        });

        builder.AddProblemResponses();
        return builder;
    }

    /// <summary>
    /// Every error answered as an RFC 9457 problem without exception details, and text from outside
    /// (path, query, JSON strings) held to <see cref="InputRules"/>: see docs/security.md.
    /// </summary>
    public static TBuilder AddProblemResponses<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
        builder.Services.AddTransient<IStartupFilter, ProblemsStartupFilter>();
        builder.Services.ConfigureHttpJsonOptions(options => InputJson.Apply(options.SerializerOptions));
        // A parameter that does not bind throws, so the exception handler answers it as a 400 problem
        // (otherwise, outside Development, it is an empty 400 with the reason only in the log).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(EstateActivities.SourceName)
                // Probes hit these every few seconds; tracing them would drown the real traffic.
                .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                    !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                    && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        // Without an endpoint the exporter would retry against localhost:4318 forever; a service
        // started outside the AppHost simply exports nothing.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();

            // The exporter sends through IHttpClientFactory under these names, so it would inherit the
            // standard resilience handler from ConfigureHttpClientDefaults: failed exports retried for
            // up to 30 s, each retry logged (and that log exported), and shutdown held up. The exporter
            // already retries on its own.
            foreach (var exporterClient in OtlpExporterHttpClientNames)
            {
                // Experimental only in name: it is the documented way to opt one client out of the defaults.
#pragma warning disable EXTEXP0001
                builder.Services.AddHttpClient(exporterClient).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
            }
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy("process is running"), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check, including the servers the service depends on: readiness) and
    /// <c>/alive</c> (only checks tagged "live": liveness), both answering a small JSON report.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Mapped in every environment, unlike Aspire's template: this estate only ever runs locally
        // or inside a private cluster, and the AppHost gates start-up ordering on /health.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });

        return app;
    }

    /// <summary>
    /// Requires the estate's key (<c>X-Service-Key</c>) on every path under <paramref name="protectedPrefixes"/>, or on
    /// every path when none is given; <c>/health</c> and <c>/alive</c> stay open for probes. Call it before mapping.
    /// </summary>
    public static IApplicationBuilder UseServiceKey(this IApplicationBuilder app, params string[] protectedPrefixes)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(protectedPrefixes);

        var paths = new ServiceKeyPaths(
            [.. protectedPrefixes.Select(p => new PathString(p))],
            [new PathString(HealthEndpointPath), new PathString(AlivenessEndpointPath)]);
        return app.UseMiddleware<ServiceKeyMiddleware>(paths);
    }
}
