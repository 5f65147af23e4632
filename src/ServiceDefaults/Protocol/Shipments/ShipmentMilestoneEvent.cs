namespace LogisticsSync.ServiceDefaults.Protocol.Shipments;

/// <summary>The data of every canonical shipment event.</summary>
public sealed record ShipmentMilestoneEvent(
    Guid ShipmentId,
    string BusinessKey,
    string SourceSystem,
    string Milestone,
    string ReportedBy,
    string FromState,
    string ToState,
    IReadOnlyList<string> Skipped,
    int Version,
    DateTimeOffset OccurredAt);
