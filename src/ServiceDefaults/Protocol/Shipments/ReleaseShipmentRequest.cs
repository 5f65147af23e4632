namespace LogisticsSync.ServiceDefaults.Protocol.Shipments;

/// <summary>
/// ERP releases an order for shipment: <c>POST /api/v1/shipments</c>. <see cref="SourceSystem"/> is the system whose
/// order number <see cref="BusinessKey"/> is (the namespace of business keys, <c>erp</c> when absent), not the
/// system reporting a milestone (the orchestrator's <c>EstateSystem</c>).
/// </summary>
public sealed record ReleaseShipmentRequest(
    string? BusinessKey,
    string? SourceSystem,
    CustomerReference? Customer,
    Address? ShipTo,
    IReadOnlyList<OrderLine>? Lines,
    DateTimeOffset? PromisedBy,
    string? ServiceLevel);

public sealed record CustomerReference(string? Id, string? Name);

public sealed record Address(string? Name, string? Street, string? City, string? PostalCode, string? Country);

public sealed record OrderLine(string? Sku, int Quantity, decimal WeightKg);
