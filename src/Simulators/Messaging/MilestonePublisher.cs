using LogisticsSync.ServiceDefaults.Protocol;
using RabbitMQ.Client;

namespace LogisticsSync.Simulators.Messaging;

/// <summary>
/// Publishes a system's milestones to <c>logistics.milestones</c> with publisher confirms: a publish returns
/// only once the broker has the message (and throws if it was refused or routed nowhere), so a confirmation
/// the WMS counts as sent is one the orchestrator will see.
/// </summary>
internal sealed class MilestonePublisher(IConnection connection) : IAsyncDisposable
{
    // One channel, one publish at a time: a channel is not meant for concurrent publishers, and a
    // simulator's volume is far below what one confirmed channel carries (≈1.4k/s awaited one by one).
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public async Task PublishAsync(MilestoneReport report, CancellationToken cancellationToken)
    {
        var body = CanonicalCloudEvents.Encode(report);
        var properties = new BasicProperties
        {
            MessageId = report.EventId.ToString(),
            CorrelationId = report.CorrelationId,
            ContentType = ShipmentEventTypes.ContentType,
            Persistent = true,
        };
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is not { IsOpen: true })
            {
                if (_channel is not null)
                {
                    await _channel.DisposeAsync();
                }

                _channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            }

            await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, BrokerTopology.MilestoneRoutingKey(report.System, report.Milestone), mandatory: true, properties, body, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _gate.Dispose();
    }
}
