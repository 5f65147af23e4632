using LogisticsSync.ServiceDefaults.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>PostgreSQL client integration, in the spirit of Aspire.Npgsql.</summary>
public static class NpgsqlClientExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c>,
    /// a health check named <paramref name="connectionName"/>, and Npgsql tracing and metrics.
    /// </summary>
    public static TBuilder AddNpgsqlDataSource<TBuilder>(
        this TBuilder builder,
        string connectionName,
        Action<NpgsqlDataSourceBuilder>? configureDataSourceBuilder = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, connectionName);

        builder.Services.AddSingleton(services =>
        {
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
            dataSourceBuilder.UseLoggerFactory(services.GetService<ILoggerFactory>());
            configureDataSourceBuilder?.Invoke(dataSourceBuilder);
            return dataSourceBuilder.Build();
        });

        builder.Services.AddDependencyHealthCheck<NpgsqlHealthCheck>(connectionName);

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddNpgsql())
            .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation());

        return builder;
    }
}
