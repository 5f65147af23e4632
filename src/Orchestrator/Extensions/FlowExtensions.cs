using LogisticsSync.Orchestrator.CarrierWebhooks;
using LogisticsSync.Orchestrator.DeliverToCash;
using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Partners;
using LogisticsSync.Orchestrator.Reconciliation;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Tendering;
using LogisticsSync.Orchestrator.Timers;
using LogisticsSync.Orchestrator.Work;
using OpenTelemetry.Metrics;

namespace LogisticsSync.Orchestrator.Extensions;

/// <summary>The three flows of docs/flows.md: partner clients, the durable work table and its handlers, the carrier adapter, exceptions, timers.</summary>
internal static class FlowExtensions
{
    public static WebApplicationBuilder AddFlows(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<PartnerWorkOptions>(builder.Configuration.GetSection(PartnerWorkOptions.SectionName));
        builder.Services.Configure<ExceptionOptions>(builder.Configuration.GetSection(ExceptionOptions.SectionName));
        builder.Services.Configure<CarrierAdapterOptions>(builder.Configuration.GetSection(CarrierAdapterOptions.SectionName));

        builder.Services.AddSingleton<ExceptionRecords>();
        builder.Services.AddSingleton<ExceptionMetrics>();
        builder.Services.AddSingleton<ExceptionStore>();
        builder.Services.AddSingleton<LifecycleReactions>();
        builder.Services.AddSingleton<PartnerTaskStore>();
        builder.Services.AddSingleton<PartnerTaskMetrics>();
        builder.Services.AddSingleton<TenderStore>();
        builder.Services.AddSingleton<TenderMetrics>();
        builder.Services.AddSingleton<PostingMetrics>();
        builder.Services.AddSingleton<IPartnerTaskHandler, TenderHandler>();
        builder.Services.AddSingleton<IPartnerTaskHandler, GoodsIssueHandler>();
        builder.Services.AddSingleton<IPartnerTaskHandler, InvoiceHandler>();
        builder.Services.AddSingleton<CarrierAdapterMetrics>();
        builder.Services.AddSingleton<CarrierWebhookSignal>();
        builder.Services.AddSingleton<PartnerCircuits>();
        builder.Services.AddHostedService<PartnerTaskWorker>();
        builder.Services.AddHostedService<CarrierAdapter>();
        builder.Services.AddHostedService<ExceptionEscalator>();
        builder.AddShipmentTimers();

        builder.AddPartnerClient<TmsClient>(PartnerNames.Tms);
        builder.AddPartnerClient<ErpClient>(PartnerNames.Erp);
        builder.AddReconciliation();
        // Retries, timeouts and circuit transitions as metrics (resilience.polly.strategy.events, …), tagged with
        // the pipeline's name, next to the circuit-state gauge on the orchestrator's meter.
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("Polly"));
        // Polly logs every retry and timeout with a stack trace; the flows log the outcome in one line (metrics are unaffected).
        builder.Logging.AddFilter("Polly", LogLevel.Critical);
        return builder;
    }

    /// <summary>
    /// A typed client for a partner found by service discovery (<c>http://{name}</c>), with that partner's own
    /// pipeline instead of ServiceDefaults' standard handler: the standard one would retry again around ours and
    /// share no circuit state we can report.
    /// </summary>
    private static void AddPartnerClient<TClient>(this WebApplicationBuilder builder, string partner) where TClient : class
    {
        builder.Services.Configure<PartnerOptions>(partner, builder.Configuration.GetSection($"{PartnerOptions.SectionName}:{partner}"));
#pragma warning disable EXTEXP0001 // Experimental only in name: the documented way to opt one client out of the defaults.
        builder.Services.AddHttpClient<TClient>((services, http) =>
            {
                http.BaseAddress = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<PartnerOptions>>().Get(partner).BaseAddress
                    ?? new Uri($"http://{partner}");
                // The pipeline's timeouts govern; this only stops a request the pipeline forgot.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler(partner, (pipeline, context) => PartnerPipeline.Configure(pipeline, partner, context.ServiceProvider));
#pragma warning restore EXTEXP0001
    }
}
