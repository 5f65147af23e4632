namespace LogisticsSync.Orchestrator.Timers;

/// <summary>Durable shipment timers: the options, the commands the lifecycle's reactions arm them with, the worker that fires them, its health.</summary>
internal static class TimerExtensions
{
    public static WebApplicationBuilder AddShipmentTimers(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ShipmentTimerOptions>(builder.Configuration.GetSection(ShipmentTimerOptions.SectionName));
        builder.Services.AddSingleton<ShipmentTimers>();
        builder.Services.AddSingleton<TimerProgress>();
        builder.Services.AddHostedService<ShipmentTimerWorker>();
        builder.Services.AddHealthChecks().AddCheck<ShipmentTimerHealthCheck>("timers", tags: ["ready"]);
        return builder;
    }
}
