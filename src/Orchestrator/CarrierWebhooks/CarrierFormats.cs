using System.Globalization;
using System.Text.Json;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Input;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Orchestrator.CarrierWebhooks;

/// <summary>
/// One carrier webhook in canonical terms: the carrier's own event id (its dedupe key), how to find the shipment,
/// and the milestone — null for statuses that move nothing (a label created, a booking confirmed: trail only).
/// </summary>
internal sealed record CarrierEvent(
    string EventId,
    string Status,
    ShipmentMilestone? Milestone,
    string? TrackingNumber,
    string? Reference,
    DateTimeOffset OccurredAt,
    DateTimeOffset? EstimatedDelivery,
    string Detail);

/// <summary>A webhook body that is not the carrier's agreed format: recorded as a rejection, never retried.</summary>
internal sealed class CarrierFormatException(string message) : Exception(message);

/// <summary>The partner adapters: each carrier's payload and status vocabulary mapped to canonical milestones (docs/flows.md).</summary>
internal static class CarrierFormats
{
    public const string ParcelFast = CarrierId.ParcelFastValue;
    public const string FreightLine = CarrierId.FreightLineValue;

    private static readonly Dictionary<string, ShipmentMilestone?> ParcelFastStatuses = new(StringComparer.Ordinal)
    {
        ["LABEL_CREATED"] = null,
        ["IN_TRANSIT"] = ShipmentMilestone.InTransit,
        ["DELAYED"] = ShipmentMilestone.Delayed,
        ["OUT_FOR_DELIVERY"] = ShipmentMilestone.OutForDelivery,
        ["DELIVERED"] = ShipmentMilestone.Delivered,
        ["DELIVERY_ATTEMPT_FAILED"] = ShipmentMilestone.DeliveryFailed,
        ["POD_AVAILABLE"] = ShipmentMilestone.ProofOfDelivery,
    };

    private static readonly Dictionary<string, ShipmentMilestone?> FreightLineCodes = new(StringComparer.Ordinal)
    {
        ["BKD"] = null,
        ["DEP"] = ShipmentMilestone.InTransit,
        ["DLY"] = ShipmentMilestone.Delayed,
        ["OFD"] = ShipmentMilestone.OutForDelivery,
        ["DLV"] = ShipmentMilestone.Delivered,
        ["NDL"] = ShipmentMilestone.DeliveryFailed,
        ["POD"] = ShipmentMilestone.ProofOfDelivery,
    };

    public static bool IsKnownCarrier(string carrierId) => carrierId is ParcelFast or FreightLine;

    /// <summary>The milestone a carrier's own status code stands for (null: one that moves nothing); false for a code it does not use.</summary>
    public static bool TryMilestoneOf(string carrierId, string status, out ShipmentMilestone? milestone)
    {
        milestone = null;
        var statuses = carrierId switch
        {
            ParcelFast => ParcelFastStatuses,
            FreightLine => FreightLineCodes,
            _ => null,
        };
        return statuses?.TryGetValue(status, out milestone) == true;
    }

    /// <exception cref="CarrierFormatException">The carrier is unknown, or the body is not its format.</exception>
    public static CarrierEvent Parse(string carrierId, ReadOnlySpan<byte> body)
    {
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(body);
        }
        catch (JsonException exception)
        {
            throw new CarrierFormatException($"not JSON: {exception.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CarrierFormatException($"expected a JSON object, got {root.ValueKind}");
        }

        return carrierId switch
        {
            ParcelFast => ParseParcelFast(root),
            FreightLine => ParseFreightLine(root),
            _ => throw new CarrierFormatException($"no partner adapter for carrier '{carrierId}'"),
        };
    }

    private static CarrierEvent ParseParcelFast(JsonElement root)
    {
        var status = RequiredString(root, "status");
        if (!ParcelFastStatuses.TryGetValue(status, out var milestone))
        {
            throw new CarrierFormatException($"unknown ParcelFast status '{status}'");
        }

        var location = root.TryGetProperty("location", out var place) && place.ValueKind == JsonValueKind.Object
            ? string.Join(", ", new[] { OptionalString(place, "city"), OptionalString(place, "country") }.OfType<string>())
            : null;
        return new CarrierEvent(
            RequiredString(root, "eventId"),
            status,
            milestone,
            OptionalString(root, "trackingNumber"),
            OptionalString(root, "reference"),
            RequiredTime(root, "occurredAt"),
            OptionalTime(root, "estimatedDelivery"),
            Describe("ParcelFast", status, location, ProofOfDelivery(root), null));
    }

    private static CarrierEvent ParseFreightLine(JsonElement root)
    {
        if (!root.TryGetProperty("messageNumber", out var number) || number.ValueKind != JsonValueKind.Number || !number.TryGetInt64(out var messageNumber))
        {
            throw new CarrierFormatException("'messageNumber' is required and must be an integer");
        }

        var consignment = RequiredObject(root, "consignment");
        var @event = RequiredObject(root, "event");
        var code = RequiredString(@event, "code");
        if (!FreightLineCodes.TryGetValue(code, out var milestone))
        {
            throw new CarrierFormatException($"unknown FreightLine event code '{code}'");
        }

        return new CarrierEvent(
            messageNumber.ToString(CultureInfo.InvariantCulture),
            code,
            milestone,
            OptionalString(consignment, "number"),
            OptionalString(consignment, "shipperRef"),
            RequiredTime(@event, "timestampUtc"),
            OptionalTime(@event, "revisedEta"),
            Describe("FreightLine", code, OptionalString(@event, "depot"), ProofOfDelivery(root), OptionalString(@event, "remarks")));
    }

    private static string Describe(string carrier, string status, string? location, string? proof, string? remarks) =>
        string.Join("; ", new[]
        {
            $"{carrier} {status}",
            string.IsNullOrEmpty(location) ? null : $"at {location}",
            remarks,
            proof,
        }.OfType<string>());

    private static string? ProofOfDelivery(JsonElement root) =>
        root.TryGetProperty("proofOfDelivery", out var proof) && proof.ValueKind == JsonValueKind.Object
            ? $"proof of delivery signed by {OptionalString(proof, "signedBy") ?? "?"} at {OptionalString(proof, "signedAt") ?? "?"} ({OptionalString(proof, "documentUrl") ?? "no document"})"
            : null;

    private static JsonElement RequiredObject(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new CarrierFormatException($"'{name}' is required and must be an object");

    private static string RequiredString(JsonElement parent, string name) =>
        OptionalString(parent, name) is { Length: > 0 } value ? value : throw new CarrierFormatException($"'{name}' is required");

    private static string? OptionalString(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // A carrier's text goes into queries and the trail: a NUL or control character is malformed, not a 500 later.
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") has no UTF-8 form: System.Text.Json refuses to decode it.
            throw new CarrierFormatException($"'{name}' is not valid Unicode text");
        }

        return InputRules.Violation(text, allowLineBreaks: true) is { } violation
            ? throw new CarrierFormatException($"'{name}' {violation}")
            : text;
    }

    private static DateTimeOffset RequiredTime(JsonElement parent, string name) =>
        OptionalTime(parent, name) ?? throw new CarrierFormatException($"'{name}' is required (ISO 8601 with offset)");

    private static DateTimeOffset? OptionalTime(JsonElement parent, string name)
    {
        if (OptionalString(parent, name) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CarrierFormatException($"'{name}' is not an ISO 8601 time: '{text}'");
    }
}
