namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>What a milestone tells about the shipment beyond its state: the booking, the carrier's latest ETA.</summary>
internal sealed record MilestoneFacts(
    string? CarrierId = null,
    string? BookingReference = null,
    string? TrackingNumber = null,
    DateTimeOffset? EstimatedDeliveryAt = null);
