using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// A milestone as it arrives, from a command, a consumer or a partner call. <paramref name="Detail"/> goes into
/// the trail row of an applied milestone (which carrier, why); <paramref name="Facts"/> are stored on the shipment.
/// </summary>
internal sealed record IncomingMilestone(
    string EventId,
    ShipmentMilestone Milestone,
    EstateSystem Source,
    string CorrelationId,
    DateTimeOffset OccurredAt,
    string? Detail = null,
    MilestoneFacts? Facts = null);
