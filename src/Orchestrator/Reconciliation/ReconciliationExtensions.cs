using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LogisticsSync.Orchestrator.Reconciliation;

internal static class ReconciliationExtensions
{
    /// <summary>Reconciliation's parts, its partner client (service discovery and the standard resilience handler: reads and idempotent re-asks) and its schedule.</summary>
    public static WebApplicationBuilder AddReconciliation(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ReconciliationOptions>(builder.Configuration.GetSection(ReconciliationOptions.SectionName));
        builder.Services.AddHttpClient(PartnerRecordReader.HttpClientName);
        builder.Services.AddSingleton<PartnerRecordReader>();
        builder.Services.AddSingleton<DriftHealer>();
        builder.Services.AddSingleton<ReconciliationStore>();
        builder.Services.AddSingleton<ReconciliationMetrics>();
        builder.Services.AddSingleton<ReconciliationRunner>();
        builder.Services.AddSingleton<ReconciliationScheduler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReconciliationScheduler>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "reconciliation", services => services.GetRequiredService<ReconciliationScheduler>(), HealthStatus.Degraded, tags: null));
        return builder;
    }
}
