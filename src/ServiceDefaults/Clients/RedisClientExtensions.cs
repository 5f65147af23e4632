using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>Redis client integration, in the spirit of Aspire.StackExchange.Redis.</summary>
public static class RedisClientExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="IConnectionMultiplexer"/> for <c>ConnectionStrings:{connectionName}</c>
    /// and a health check named <paramref name="connectionName"/> that PINGs the server.
    /// </summary>
    public static TBuilder AddRedisClient<TBuilder>(
        this TBuilder builder,
        string connectionName,
        Action<ConfigurationOptions>? configureOptions = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, connectionName);

        builder.Services.TryAddSingleton(services =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            // The service must start, and keep serving what it can, while Redis is down or restarting;
            // the multiplexer reconnects in the background.
            options.AbortOnConnectFail = false;
            options.ClientName ??= services.GetService<ServiceIdentity>()?.Name;
            options.LoggerFactory ??= services.GetService<ILoggerFactory>();
            configureOptions?.Invoke(options);
            return new RedisConnectionProvider(options);
        });

        // Sync over async, as Aspire does: DI factories cannot await. It only blocks (up to the connect
        // timeout) on first use while Redis is down; the health check asks the provider directly.
        builder.Services.TryAddSingleton(services =>
            services.GetRequiredService<RedisConnectionProvider>().GetConnectionAsync(CancellationToken.None).GetAwaiter().GetResult());

        builder.Services.AddDependencyHealthCheck<RedisHealthCheck>(connectionName);

        return builder;
    }
}
