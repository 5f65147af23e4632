using LogisticsSync.ServiceDefaults.Clients;
using LogisticsSync.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Trace;
using RabbitMQ.Client;

namespace Microsoft.Extensions.Hosting;

/// <summary>RabbitMQ client integration, in the spirit of Aspire.RabbitMQ.Client.</summary>
public static class RabbitMQClientExtensions
{
    // RabbitMQ.Client 7 instruments publish and deliver itself under these ActivitySource names.
    private static readonly string[] ActivitySourceNames = ["RabbitMQ.Client.Publisher", "RabbitMQ.Client.Subscriber"];

    /// <summary>
    /// Registers a singleton RabbitMQ <see cref="IConnection"/> for the AMQP URI in
    /// <c>ConnectionStrings:{connectionName}</c>, created on first use with retries and recovering
    /// automatically afterwards; a health check named <paramref name="connectionName"/>; one named
    /// <c>{connectionName}-progress</c> over the consumers and publishers registered in <see cref="BrokerProgress"/>;
    /// and the client's tracing.
    /// </summary>
    public static TBuilder AddRabbitMQClient<TBuilder>(
        this TBuilder builder,
        string connectionName,
        Action<ConnectionFactory>? configureConnectionFactory = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = ConnectionStrings.GetRequired(builder.Configuration, connectionName);
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException(
                $"Connection string '{connectionName}' (ConnectionStrings__{connectionName}) must be an AMQP URI such as amqp://user:password@host:5672.");
        }

        builder.Services.TryAddSingleton(BrokerUser.FromUri(uri));
        builder.Services.TryAddSingleton(services => ActivatorUtilities.CreateInstance<RabbitMQConnectionProvider>(
            services, uri, configureConnectionFactory ?? (static _ => { })));

        // Sync over async, as Aspire does: DI factories cannot await, and this runs once per process.
        // Code that must not block (health checks, hosted services) asks the provider directly.
        builder.Services.TryAddSingleton(services =>
            services.GetRequiredService<RabbitMQConnectionProvider>().GetConnectionAsync(CancellationToken.None).GetAwaiter().GetResult());

        builder.Services.AddDependencyHealthCheck<RabbitMQHealthCheck>(connectionName);

        // Connected is not the same as working: consumers and publishers register their progress here.
        builder.Services.TryAddSingleton<BrokerProgress>();
        builder.Services.AddOptions<BrokerProgressOptions>().BindConfiguration(BrokerProgressOptions.SectionName);
        builder.Services.AddDependencyHealthCheck<BrokerProgressHealthCheck>($"{connectionName}-progress");

        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(ActivitySourceNames));

        return builder;
    }
}
