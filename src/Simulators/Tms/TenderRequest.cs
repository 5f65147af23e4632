using System.Text.Json.Serialization;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;

namespace LogisticsSync.Simulators.Tms;

/// <summary>Where a shipment goes, as the orchestrator tenders it (the release's <c>shipTo</c>).</summary>
public sealed record ShipToAddress(string? Name, string? Street, string? City, string? PostalCode, string? Country);

/// <summary>
/// A tender (docs/flows.md, "Order-to-ship: tendering"): the orchestrator's body to <c>POST /tms/api/tenders</c>,
/// forwarded as is to the carrier's <c>POST /carrier/api/bookings</c>. Every field nullable so a missing one is a
/// validation problem naming it, not a binding failure.
/// </summary>
public sealed record TenderRequest(
    Guid? TenderId,
    Guid? ShipmentId,
    string? BusinessKey,
    string? CarrierId,
    string? ServiceLevel,
    DateTimeOffset? PromisedBy,
    ShipToAddress? ShipTo,
    decimal? WeightKg) : IFaultSubject
{
    public const string IdempotencyKeyHeader = ProtocolHeaders.IdempotencyKey;

    [JsonIgnore]
    public string? FaultSubject => TenderId?.ToString();

    /// <summary>Every problem with the tender and its <c>Idempotency-Key</c>, by field; empty when it is a tender.</summary>
    public Dictionary<string, string[]> Validate(string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (TenderId is not { } tenderId || tenderId == Guid.Empty)
        {
            errors["tenderId"] = ["is required (a UUID, also sent as the Idempotency-Key header)."];
        }
        else if (!Guid.TryParse(idempotencyKey, out var key) || key != tenderId)
        {
            errors[IdempotencyKeyHeader] = [$"must be the tenderId ({tenderId}); was '{idempotencyKey}'."];
        }

        if (ShipmentId is null || ShipmentId == Guid.Empty)
        {
            errors["shipmentId"] = ["is required."];
        }

        if (string.IsNullOrWhiteSpace(BusinessKey))
        {
            errors["businessKey"] = ["is required (the ERP order number)."];
        }

        if (MasterData.Carriers.All(c => c.Id != CarrierId))
        {
            errors["carrierId"] = [$"must be one of: {string.Join(", ", MasterData.Carriers.Select(c => c.Id))} (was '{CarrierId}')."];
        }

        if (string.IsNullOrWhiteSpace(ServiceLevel))
        {
            errors["serviceLevel"] = ["is required."];
        }

        if (PromisedBy is null)
        {
            errors["promisedBy"] = ["is required (ISO 8601 with offset)."];
        }

        if (ShipTo is null || string.IsNullOrWhiteSpace(ShipTo.City) || ShipTo.Country is not { Length: 2 })
        {
            errors["shipTo"] = ["is required with at least city and country (ISO 3166-1 alpha-2)."];
        }

        if (WeightKg is not > 0)
        {
            errors["weightKg"] = ["is required and positive."];
        }

        return errors;
    }
}

/// <summary>The TMS's answer to a tender (always 200 unless the TMS itself fails): booked, rejected or unavailable.</summary>
public sealed record TenderAnswer(
    Guid TenderId,
    string CarrierId,
    string Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BookingReference = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TrackingNumber = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LabelUrl = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EstimatedDeliveryAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds = null)
{
    public const string Booked = "booked";
    public const string Rejected = "rejected";
    public const string Unavailable = "unavailable";

    /// <summary>Booked and rejected are the carrier's word and final; unavailable only says the carrier could not be asked.</summary>
    [JsonIgnore]
    public bool IsFinal => Outcome != Unavailable;
}

/// <summary>A carrier's <c>201</c> to a booking: the TMS passes these on as a booked tender.</summary>
public sealed record BookingConfirmation(string BookingReference, string TrackingNumber, string LabelUrl, DateTimeOffset EstimatedDeliveryAt);
