using LogisticsSync.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Tracing;
using RabbitMQ.Client;

namespace LogisticsSync.Simulators.Messaging;

/// <summary>
/// Publishes a system's milestones to <c>logistics.milestones</c> with publisher confirms: a publish returns
/// only once the broker has the message (and throws if it was refused, routed nowhere or not confirmed in time),
/// so a confirmation the WMS counts as sent is one the orchestrator will see.
/// </summary>
internal sealed class MilestonePublisher(
    IBrokerConnection connection,
    BrokerUser user,
    BrokerProgress progress,
    IOptions<BrokerProgressOptions> options,
    TimeProvider time,
    ILogger<MilestonePublisher> logger) : IAsyncDisposable
{
    // One channel, one publish at a time: a channel is not meant for concurrent publishers, and a
    // simulator's volume is far below what one confirmed channel carries (≈1.4k/s awaited one by one).
    private readonly ConfirmingPublisher _publisher = new("milestones", connection, progress, options, time, logger);

    public async Task PublishAsync(MilestoneReport report, CancellationToken cancellationToken)
    {
        var body = CanonicalCloudEvents.Encode(report);
        var properties = new BasicProperties
        {
            MessageId = report.EventId.ToString(),
            CorrelationId = report.CorrelationId,
            ContentType = ShipmentEventTypes.ContentType,
            Persistent = true,
            // Checked by the broker against this connection's user; the orchestrator takes the reporter from it.
            UserId = user.Name,
            Headers = new Dictionary<string, object?>(),
        };
        var routingKey = BrokerTopology.MilestoneRoutingKey(report.System, report.Milestone);
        // The milestone continues whatever the system was doing when it happened (the WMS's consumed release, a
        // carrier's booking), so the orchestrator's consumer carries the journey's trace on.
        using var activity = EstateActivities.StartPublish(routingKey, TraceContext.Current, properties.Headers);
        await _publisher.PublishAsync(BrokerTopology.MilestonesExchange, routingKey, mandatory: true, properties, body, cancellationToken);
    }

    public ValueTask DisposeAsync() => _publisher.DisposeAsync();
}
