using LogisticsSync.ServiceDefaults.Messaging;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Tracing;
using LogisticsSync.Simulators.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace LogisticsSync.Simulators.Wms;

/// <summary>
/// The WMS's inbound interface: its own durable queue, bound to the orchestrator's events exchange for
/// <c>released</c> events. A released event is acknowledged only once the order is packed and every
/// confirmation confirmed by the broker; a crash mid-order redelivers it, and the repeat confirms under
/// the same event ids.
/// </summary>
internal sealed partial class ReleasedShipmentConsumer(
    IBrokerConnection broker,
    WarehouseFloor floor,
    BrokerProgress progress,
    IOptions<WmsOptions> options,
    TimeProvider time,
    ILogger<ReleasedShipmentConsumer> logger) : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan TopologyPoll = TimeSpan.FromSeconds(1);

    /// <summary>How long the consumer may be gone on an open connection (recovery re-registers it within that) before the WMS subscribes again itself.</summary>
    private static readonly TimeSpan LostGrace = TimeSpan.FromSeconds(5);
    private IChannel? _channel;

    /// <summary>Healthy once the queue is bound and consumed: a release published before that would reach no warehouse.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_channel is { IsOpen: true }
            ? HealthCheckResult.Healthy($"consuming {options.Value.Queue}")
            : HealthCheckResult.Unhealthy(broker.Current is not { IsOpen: true }
                ? $"not yet subscribed: not connected to RabbitMQ at {broker.Endpoint}"
                : $"not yet subscribed: waiting for the orchestrator's exchange {BrokerTopology.EventsExchange}"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var monitor = progress.AddConsumer("wms-released", settings.Queue, settings.OrdersInProgress);
        // The WMS serves its API while the broker is down; it subscribes once the broker answers.
        var connection = await broker.GetAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            while (_channel is null)
            {
                IChannel? channel = null;
                try
                {
                    channel = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: settings.OrdersInProgress), stoppingToken);
                    await SubscribeAsync(channel, monitor, stoppingToken);
                    _channel = channel;
                    LogSubscribed(settings.Queue);
                }
                catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
                {
                    LogWaitingForTopology(exception.ShutdownReason.ReplyText);
                    await CloseQuietlyAsync(channel);
                    await Task.Delay(TopologyPoll, time, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The broker went away between connecting and subscribing: recovery brings the connection back,
                    // and the WMS must not end over it.
                    LogSubscribeFailed(exception.Message);
                    await CloseQuietlyAsync(channel);
                    await Task.Delay(TopologyPoll, time, stoppingToken);
                }
            }

            // A consumer the broker cancelled, or whose channel a channel error closed, is not recovered by the client.
            await monitor.WaitUntilLostAsync(connection, LostGrace, stoppingToken);
            LogResubscribing(settings.Queue, monitor.Unregistered() ?? "consumer lost");
            var lost = _channel;
            _channel = null;
            await CloseQuietlyAsync(lost);
        }
    }

    private async Task SubscribeAsync(IChannel channel, ConsumerMonitor monitor, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // The orchestrator owns both exchanges: wait for them instead of declaring them with arguments
        // that could differ from its own (a mismatch would close the channel on every start).
        await channel.ExchangeDeclarePassiveAsync(BrokerTopology.EventsExchange, stoppingToken);
        await channel.ExchangeDeclarePassiveAsync(BrokerTopology.MilestonesExchange, stoppingToken);
        await channel.QueueDeclareAsync(settings.Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(settings.Queue, BrokerTopology.EventsExchange, ShipmentEventTypes.Of(MilestoneNames.Released), cancellationToken: stoppingToken);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: settings.OrdersInProgress, global: false, stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            using var handling = monitor.Received();
            await HandleAsync(channel, delivery, stoppingToken);
        };
        await channel.BasicConsumeAsync(settings.Queue, autoAck: false, consumer, stoppingToken);
        monitor.Subscribed(consumer);
    }

    private static async Task CloseQuietlyAsync(IChannel? channel)
    {
        try
        {
            await (channel?.DisposeAsync() ?? ValueTask.CompletedTask);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Already closed by the broker: gone either way.
        }
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        // The warehouse's work, and the confirmations it publishes, continue the release's trace.
        using var activity = EstateActivities.StartConsume(options.Value.Queue, delivery.BasicProperties.Headers);
        ShipmentEvent released;
        try
        {
            released = CanonicalCloudEvents.DecodeShipmentEvent(delivery.Body);
        }
        catch (FormatException exception)
        {
            // Not an order the warehouse can work: requeueing would loop it forever.
            LogUnreadable(delivery.BasicProperties.MessageId, exception.Message);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, stoppingToken);
            return;
        }

        try
        {
            await floor.FulfilAsync(released, stoppingToken);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: unacknowledged, the order is redelivered when the WMS is back.
        }
        catch (Exception exception)
        {
            LogFulfilmentFailed(exception, released.BusinessKey);
            await Task.Delay(TopologyPoll, time, stoppingToken);
            if (channel.IsOpen)
            {
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = LogEventIds.ReleasedShipmentConsumerSubscribed, Level = LogLevel.Information, Message = "WMS subscribed: consuming released shipments from {Queue}")]
    private partial void LogSubscribed(string queue);

    [LoggerMessage(EventId = LogEventIds.ReleasedShipmentConsumerResubscribing, Level = LogLevel.Warning, Message = "WMS consumer on {Queue} lost on an open connection ({Reason}); subscribing again")]
    private partial void LogResubscribing(string queue, string reason);

    [LoggerMessage(EventId = LogEventIds.ReleasedShipmentConsumerWaitingForTopology, Level = LogLevel.Information, Message = "WMS waiting for the orchestrator's topology: {Reason}")]
    private partial void LogWaitingForTopology(string reason);

    [LoggerMessage(EventId = LogEventIds.ReleasedShipmentConsumerSubscribeFailed, Level = LogLevel.Warning, Message = "WMS could not subscribe; trying again in 1 s: {Reason}")]
    private partial void LogSubscribeFailed(string reason);

    [LoggerMessage(EventId = LogEventIds.ReleasedShipmentConsumerUnreadable, Level = LogLevel.Error, Message = "Released event {MessageId} is unreadable and was rejected: {Reason}")]
    private partial void LogUnreadable(string? messageId, string reason);

    [LoggerMessage(EventId = LogEventIds.ReleasedShipmentConsumerFulfilmentFailed, Level = LogLevel.Warning, Message = "Order {BusinessKey} could not be fulfilled; its released event is requeued")]
    private partial void LogFulfilmentFailed(Exception exception, string businessKey);
}
