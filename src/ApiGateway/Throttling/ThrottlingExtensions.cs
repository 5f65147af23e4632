using LogisticsSync.ApiGateway.Versioning;
using LogisticsSync.ServiceDefaults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LogisticsSync.ApiGateway.Throttling;

internal static class ThrottlingExtensions
{
    public static WebApplicationBuilder AddClientThrottling(this WebApplicationBuilder builder)
    {
        // Fail fast while disconnected: a command parked in the backlog would hold the request for
        // the client's timeout, when the local buckets can answer at once.
        builder.AddRedisClient(ResourceNames.Redis, redis => redis.BacklogPolicy = BacklogPolicy.FailFast);
        // The gateway keeps serving, limited locally, without Redis: that is Degraded, not Unhealthy
        // (an unhealthy edge would be taken out of rotation for a fault it absorbs).
        builder.Services.Configure<HealthCheckServiceOptions>(health =>
        {
            foreach (var registration in health.Registrations.Where(r => r.Name == ResourceNames.Redis))
            {
                registration.FailureStatus = HealthStatus.Degraded;
            }
        });

        builder.Services.AddOptions<ThrottlingOptions>()
            .Bind(builder.Configuration.GetSection(ThrottlingOptions.SectionName))
            .Validate(options => options.Tiers.ContainsKey(options.DefaultTier), "Gateway:Throttling:DefaultTier must name one of Gateway:Throttling:Tiers.")
            .Validate(options => options.Tiers.Values.All(tier => tier.IsValid), "Every throttling tier needs TokenLimit, TokensPerPeriod and ReplenishmentPeriod above zero.")
            .Validate(options => options.ReplicasSharingLimit >= 1, "Gateway:Throttling:ReplicasSharingLimit is at least 1.")
            .ValidateOnStart();
        builder.Services.AddOptions<GatewayOptions>()
            .Validate<IOptionsMonitor<ThrottlingOptions>>(
                (gateway, throttling) => gateway.Clients.Values.All(client => client.Tier is null || throttling.CurrentValue.Tiers.ContainsKey(client.Tier)),
                "Every Gateway:Clients:{id}:Tier must name one of Gateway:Throttling:Tiers.")
            .ValidateOnStart();

        builder.Services.AddSingleton<ClientThrottle>();
        builder.Services.AddHealthChecks().AddCheck<ThrottlingHealthCheck>(ThrottlingHealthCheck.Name, tags: ["ready"], timeout: TimeSpan.FromSeconds(3));
        return builder;
    }
}
