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
    DateTimeOffset UpdatedAt);

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
    internal static ShipmentResource From(Shipment shipment) => new(
        shipment.Id,
        shipment.BusinessKey,
        shipment.SourceSystem,
        shipment.State,
        shipment.StateOwner,
        shipment.Version,
        shipment.CorrelationId,
        shipment.Release.TryGetProperty("promisedBy", out var promised) && promised.ValueKind == JsonValueKind.String ? promised.GetDateTimeOffset() : null,
        shipment.CreatedAt,
        shipment.UpdatedAt,
        new Dictionary<string, string>
        {
            ["self"] = $"/api/v1/shipments/{shipment.Id}",
            ["timeline"] = $"/api/v1/shipments/{shipment.Id}/timeline",
        });
}

/// <summary>The v2 representation: the v1 shipment, the release as accepted, and the trail.</summary>
public sealed record ShipmentDetail(ShipmentResource Shipment, JsonElement Release, IReadOnlyList<TrailEntry> Timeline);
