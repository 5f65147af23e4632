using System.Text.Json;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>A shipment row: the one governed lifecycle per business key.</summary>
internal sealed record Shipment(
    Guid Id,
    string SourceSystem,
    string BusinessKey,
    string State,
    string StateOwner,
    int Version,
    string CorrelationId,
    JsonElement Release,
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
    public DateTimeOffset? PromisedBy =>
        Release.TryGetProperty("promisedBy", out var promised) && promised.ValueKind == JsonValueKind.String ? promised.GetDateTimeOffset() : null;
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
        shipment.State,
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
public sealed record ShipmentDetail(ShipmentResource Shipment, JsonElement Release, IReadOnlyList<TrailEntry> Timeline);
