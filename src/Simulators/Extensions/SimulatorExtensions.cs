using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Admin;
using LogisticsSync.Simulators.Carriers;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Erp;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Messaging;
using LogisticsSync.Simulators.Roles;
using LogisticsSync.Simulators.Telemetry;
using LogisticsSync.Simulators.Tms;
using LogisticsSync.Simulators.Wms;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Polly;

namespace LogisticsSync.Simulators.Extensions;

internal static partial class SimulatorExtensions
{
    /// <summary>The APIs the orchestrator and the TMS call, which require the estate's key (docs/security.md, "Service key").</summary>
    public static readonly string[] SystemApis = ["/erp/api", "/wms/api", "/tms/api", "/carrier/api"];

    /// <summary>
    /// What every simulated system has (options validated at start, seed, scaled clock, master data, fault
    /// profile), then what its role adds. A resource started without a valid role fails at once with the
    /// variable to set instead of simulating the wrong system.
    /// </summary>
    public static WebApplicationBuilder AddSimulator(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => SimulationSeed.From(services.GetRequiredService<IOptions<SimulatorOptions>>().Value));
        builder.Services.AddSingleton<SimulationClock>();
        builder.Services.AddSingleton(services => MasterData.Generate(services.GetRequiredService<SimulationSeed>().Value));
        builder.AddFaultProfile();
        builder.Services.AddSingleton<SimulatorMetrics>();
        // The simulators' own counters, and Polly's retries, timeouts and their outcomes (resilience.polly.strategy.events,
        // …attempt.duration) tagged with the pipeline's name, next to the HttpClient metrics ServiceDefaults exports.
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(SimulatorMetrics.MeterName, "Polly"));
        // Polly's own telemetry logs every timeout with a stack trace; the pipelines' OnRetry says the same in one
        // line with the order or webhook it concerns (its metrics are unaffected by this filter).
        builder.Logging.AddFilter("Polly", LogLevel.Critical);

        switch (builder.Configuration[$"{SimulatorOptions.SectionName}:Role"])
        {
            case ResourceNames.Erp:
                builder.AddErp();
                break;
            case ResourceNames.Wms:
                builder.AddWms();
                break;
            case ResourceNames.Tms:
                builder.AddTms();
                break;
            case ResourceNames.CarrierParcelFast or ResourceNames.CarrierFreightLine:
                builder.AddCarrier(builder.Configuration[$"{SimulatorOptions.SectionName}:Role"]!);
                break;
        }

        return builder;
    }

    /// <summary>
    /// A client that calls a partner under the simulator's own pipeline only: the default handler from ServiceDefaults
    /// would retry again inside it, with its own keyless jitter and timeouts. Service discovery stays.
    /// </summary>
    private static IHttpClientBuilder AddPartnerClient(this WebApplicationBuilder builder, string name, Action<IServiceProvider, HttpClient> configure)
    {
#pragma warning disable EXTEXP0001 // Experimental only in name: the documented way to opt one client out of the defaults.
        return builder.Services.AddHttpClient(name, (services, http) =>
            {
                configure(services, http);
                // The pipeline's attempt timeout governs; this only stops a request that the pipeline forgot.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }

    private static void AddFaultProfile(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FaultProfile>().BindConfiguration(FaultProfile.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FaultProfile>, FaultProfileValidation>();
        builder.Services.AddSingleton<FaultProfileOverride>();
        builder.Services.AddSingleton<IPostConfigureOptions<FaultProfile>>(services => services.GetRequiredService<FaultProfileOverride>());
        builder.Services.AddSingleton<IOptionsChangeTokenSource<FaultProfile>>(services => services.GetRequiredService<FaultProfileOverride>());
        builder.Services.AddSingleton<FaultInjector>();
    }

    private static void AddErp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ErpOptions>().BindConfiguration(ErpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReleaseLedger>();
        builder.Services.AddSingleton<PostingJournal>();
        builder.Services.AddSingleton<SystemApiFaults>();
        builder.Services.AddSingleton<GatewayReleaseClient>();
        builder.Services.AddResiliencePipeline<string, HttpResponseMessage>(ReleasePipeline.Name,
            (pipeline, context) => ReleasePipeline.Configure(pipeline, context.ServiceProvider));
        builder.AddPartnerClient(GatewayReleaseClient.HttpClientName, (services, http) =>
        {
            var options = services.GetRequiredService<IOptions<ErpOptions>>().Value;
            http.BaseAddress = options.Gateway;
            http.DefaultRequestHeaders.Add(ProtocolHeaders.ApiKey, options.ApiKey);
        });
        builder.Services.AddHostedService<OrderReleaser>();
    }

    private static void AddTms(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TmsOptions>().BindConfiguration(TmsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SystemApiFaults>();
        builder.Services.AddSingleton<TenderDesk>();
        builder.Services.AddSingleton<CarrierBookingClient>();
        builder.Services.AddResiliencePipeline<string, HttpResponseMessage>(CarrierBookingClient.PipelineName,
            (pipeline, context) => CarrierBookingClient.ConfigurePipeline(pipeline, context.ServiceProvider));
        builder.AddPartnerClient(CarrierBookingClient.HttpClientName, (_, _) => { });
    }

    private static void AddCarrier(this WebApplicationBuilder builder, string role)
    {
        builder.Services.AddOptions<CarrierOptions>().BindConfiguration(CarrierOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services => CarrierIdentity.For(role, services.GetRequiredService<IOptions<CarrierOptions>>().Value));
        builder.Services.AddSingleton<SystemApiFaults>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<JourneyDriver>();
        builder.Services.AddSingleton<BookingDesk>();
        builder.Services.AddResiliencePipeline<string, HttpResponseMessage>(WebhookSender.PipelineName,
            (pipeline, context) => WebhookSender.ConfigurePipeline(pipeline, context.ServiceProvider));
        builder.AddPartnerClient(WebhookSender.HttpClientName,
            (services, http) => http.BaseAddress = services.GetRequiredService<IOptions<CarrierOptions>>().Value.Gateway);
    }

    private static void AddWms(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WmsOptions>().BindConfiguration(WmsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);
        builder.Services.AddSingleton<MilestonePublisher>();
        builder.Services.AddSingleton<WarehouseOrderBook>();
        builder.Services.AddSingleton<WarehouseFloor>();
        builder.Services.AddSingleton<ReleasedShipmentConsumer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReleasedShipmentConsumer>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "wms-subscription", services => services.GetRequiredService<ReleasedShipmentConsumer>(), HealthStatus.Unhealthy, tags: null));
    }

    /// <summary>The endpoints every simulator has, then its role's own view of its work.</summary>
    public static WebApplication MapSimulator(this WebApplication app)
    {
        var role = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value.Role;
        var seed = app.Services.GetRequiredService<SimulationSeed>();
        LogSeed(app.Logger, role, seed.Value, seed.Configured ? "configured" : "drawn at start; set Simulator__Seed to replay this run");

        app.MapGet("/sim/info", (ServiceIdentity identity, SimulationClock clock) =>
            TypedResults.Ok(new SimulatorInfo(role, identity.Name, identity.InstanceId, seed.Value, clock.TimeScale)));
        app.MapAdminEndpoints();
        switch (role)
        {
            case ResourceNames.Erp:
                app.MapGet("/erp/releases", (ReleaseLedger ledger) => TypedResults.Ok(ledger.Report()));
                app.MapErpSystemApi();
                break;
            case ResourceNames.Wms:
                app.MapGet("/wms/work", (WarehouseFloor floor) => TypedResults.Ok(floor.Report()));
                app.MapWmsApi();
                break;
            case ResourceNames.Tms:
                app.MapTmsApi();
                break;
            case ResourceNames.CarrierParcelFast or ResourceNames.CarrierFreightLine:
                app.MapCarrierApi();
                app.MapCarrierTrackingApi();
                break;
        }

        return app;
    }

    [LoggerMessage(EventId = LogEventIds.SimulatorExtensionsSeed, Level = LogLevel.Information, Message = "Simulating {Role} with seed {Seed} ({SeedOrigin})")]
    private static partial void LogSeed(ILogger logger, string role, int seed, string seedOrigin);
}

internal sealed record SimulatorInfo(string Role, string Service, string Instance, int Seed, double TimeScale);
