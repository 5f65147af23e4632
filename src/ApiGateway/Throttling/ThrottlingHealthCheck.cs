using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>Degraded, with the reason, while this replica enforces local buckets instead of the shared ones.</summary>
internal sealed class ThrottlingHealthCheck(ClientThrottle throttle, IOptionsMonitor<ThrottlingOptions> options) : IHealthCheck
{
    public const string Name = "throttling";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await throttle.CheckAsync(cancellationToken) is { } fallback
            ? HealthCheckResult.Degraded(
                $"Redis unreachable since {fallback.Since:O} ({fallback.Reason}): limits are enforced per replica, " +
                $"1/{options.CurrentValue.ReplicasSharingLimit} of each, until Redis is back")
            : HealthCheckResult.Healthy("limits shared through Redis");
}
