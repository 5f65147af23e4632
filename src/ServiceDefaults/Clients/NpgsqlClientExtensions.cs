using System.Diagnostics;
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
            ConfigureTracing(dataSourceBuilder);
            configureDataSourceBuilder?.Invoke(dataSourceBuilder);
            return dataSourceBuilder.Build();
        });

        builder.Services.AddDependencyHealthCheck<NpgsqlHealthCheck>(connectionName);

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddNpgsql())
            .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation());

        return builder;
    }

    /// <summary>
    /// Traces a command only inside work that is traced already. Background pollers (outbox, timers, partner work,
    /// health checks) query every second or so; Npgsql would make each query that found nothing a root trace of its
    /// own and bury the real traffic. A poller starts its span once it claimed work, and its queries join that.
    /// Physical connection opens are not traced at all: the pool opens them wherever it happens to need one, a poller
    /// included, and the command that waited for it shows the time anyway.
    /// </summary>
    internal static void ConfigureTracing(NpgsqlDataSourceBuilder dataSourceBuilder) =>
        dataSourceBuilder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            .EnablePhysicalOpenTracing(false));
}
