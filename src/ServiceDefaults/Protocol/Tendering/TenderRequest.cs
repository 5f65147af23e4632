using LogisticsSync.ServiceDefaults.Protocol.Shipments;

namespace LogisticsSync.ServiceDefaults.Protocol.Tendering;

/// <summary>
/// The tender as the orchestrator sends it to <c>POST /tms/api/tenders</c> (docs/flows.md), with the tender id as its
/// <see cref="ProtocolHeaders.IdempotencyKey"/>; the TMS forwards it to the carrier's booking API.
/// </summary>
public sealed record TenderRequest(
    Guid TenderId, Guid ShipmentId, string BusinessKey, string CarrierId, string ServiceLevel, DateTimeOffset? PromisedBy, Address? ShipTo, decimal WeightKg);
