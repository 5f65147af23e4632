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
    // RabbitMQ.Client 7 instruments publish and deliver itself. Its publish span is a child of the current one and puts
    // its traceparent on the message, so it is kept. Its deliver span is a new root only linked to the producer: one
    // single-span trace per message. The consumers start their own span as a child of the message's traceparent
    // (EstateActivities.StartConsume), so the subscriber source is left out.
    private static readonly string[] ActivitySourceNames = [RabbitMQActivitySource.PublisherSourceName];

    /// <summary>
    /// Registers the process's RabbitMQ connection (<see cref="IBrokerConnection"/>) for the AMQP URI in
    /// <c>ConnectionStrings:{connectionName}</c>, connected in the background from start-up on, retried every second
    /// for as long as the broker is down and recovering automatically afterwards; the <see cref="IBrokerConnectionSetup"/>s
    /// registered run on it before anyone gets it; a health check named <paramref name="connectionName"/>; one named
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

        // No IConnection singleton: resolving one would have to wait for the broker, and a hosted service or endpoint
        // resolved while it is down would hold start-up (or a request) until it is back. Users ask IBrokerConnection.
        builder.Services.TryAddSingleton<IBrokerConnection>(services => services.GetRequiredService<RabbitMQConnectionProvider>());
        builder.Services.AddHostedService<RabbitMQConnector>();

        builder.Services.AddDependencyHealthCheck<RabbitMQHealthCheck>(connectionName);

        // Connected is not the same as working: consumers and publishers register their progress here.
        builder.Services.TryAddSingleton<BrokerProgress>();
        builder.Services.AddOptions<BrokerProgressOptions>().BindConfiguration(BrokerProgressOptions.SectionName);
        builder.Services.AddDependencyHealthCheck<BrokerProgressHealthCheck>($"{connectionName}-progress");

        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(ActivitySourceNames));

        return builder;
    }
}
