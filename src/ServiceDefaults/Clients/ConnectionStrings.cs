using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LogisticsSync.ServiceDefaults.Clients;

internal static class ConnectionStrings
{
    /// <summary>Health checks of the servers a service depends on: long enough for a busy server, short enough that /health never hangs.</summary>
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Tags for dependency checks: they count for readiness (/health), never for liveness (/alive).</summary>
    private static readonly string[] HealthCheckTags = ["ready"];

    /// <summary>The health check of a server the service depends on, named after its connection.</summary>
    public static void AddDependencyHealthCheck<TCheck>(this IServiceCollection services, string connectionName)
        where TCheck : class, IHealthCheck =>
        services.AddHealthChecks().AddCheck<TCheck>(connectionName, failureStatus: null, tags: HealthCheckTags, timeout: HealthCheckTimeout);

    /// <summary>
    /// Reads <c>ConnectionStrings:{name}</c> at registration, so a service started without its
    /// reference fails at start naming the variable the AppHost should have set, not on first use.
    /// </summary>
    public static string GetRequired(IConfiguration configuration, string connectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var connectionString = configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Connection string '{connectionName}' is missing: set the environment variable " +
                $"ConnectionStrings__{connectionName} (configuration key ConnectionStrings:{connectionName}). " +
                "The AppHost sets it for every resource referenced with WithReference.");
        }

        return connectionString;
    }
}
