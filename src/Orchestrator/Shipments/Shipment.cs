using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// A shipment row: the one governed lifecycle per business key. <see cref="SourceSystem"/> is the system whose
/// order number the business key is (<c>erp</c>); the systems that report milestones are <see cref="EstateSystem"/>s.
/// </summary>
internal sealed record Shipment(
    Guid Id,
    string SourceSystem,
    string BusinessKey,
    ShipmentState State,
    string StateOwner,
    int Version,
    string CorrelationId,
    ReleaseShipmentRequest Release,
    string RequestFingerprint,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The carrier the TMS booked, and its references (null until booked).</summary>
    public string? CarrierId { get; init; }

    public string? BookingReference { get; init; }

    public string? TrackingNumber { get; init; }

    /// <summary>The carrier's latest ETA: from the booking, revised by Delayed milestones.</summary>
    public DateTimeOffset? EstimatedDeliveryAt { get; init; }

    /// <summary>The promised delivery time of the release as accepted.</summary>
    public DateTimeOffset? PromisedBy => Release.PromisedBy;

    /// <summary>The service level the release asked for; standard when it named none.</summary>
    public string ServiceLevel => Release.ServiceLevel ?? ServiceDefaults.Protocol.ServiceLevels.Standard;

    /// <summary>The gross weight of the release's lines.</summary>
    public decimal WeightKg => Release.Lines?.Sum(line => line.Quantity * line.WeightKg) ?? 0;
}

/// <summary>One row of a shipment's event trail: what arrived, from whom, and what it did.</summary>
public sealed record TrailEntry(
    long Sequence,
    string EventId,
    string Milestone,
    string SourceSystem,
    string Outcome,
    string? FromState,
    string? ToState,
    string? Detail,
    string CorrelationId,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt);

/// <summary>The v1 representation of a shipment.</summary>
public sealed record ShipmentResource(
    Guid Id,
    string BusinessKey,
    string SourceSystem,
    string State,
    string StateOwner,
    int Version,
    string CorrelationId,
    DateTimeOffset? PromisedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Links)
{
    /// <summary>The booking, once the TMS booked a carrier; null before.</summary>
    public BookingResource? Booking { get; init; }

    internal static ShipmentResource From(Shipment shipment) => new(
        shipment.Id,
        shipment.BusinessKey,
        shipment.SourceSystem,
        shipment.State.ToString(),
        shipment.StateOwner,
        shipment.Version,
        shipment.CorrelationId,
        shipment.PromisedBy,
        shipment.CreatedAt,
        shipment.UpdatedAt,
        new Dictionary<string, string>
        {
            ["self"] = $"/api/v1/shipments/{shipment.Id}",
            ["timeline"] = $"/api/v1/shipments/{shipment.Id}/timeline",
        })
    {
        Booking = shipment.CarrierId is null
            ? null
            : new BookingResource(shipment.CarrierId, shipment.BookingReference, shipment.TrackingNumber, shipment.EstimatedDeliveryAt),
    };
}

/// <summary>Who carries the shipment, under which references, and the latest ETA.</summary>
public sealed record BookingResource(string CarrierId, string? BookingReference, string? TrackingNumber, DateTimeOffset? EstimatedDeliveryAt);

/// <summary>The v2 representation: the v1 shipment, the release as accepted, and the trail.</summary>
public sealed record ShipmentDetail(ShipmentResource Shipment, ReleaseShipmentRequest Release, IReadOnlyList<TrailEntry> Timeline);
