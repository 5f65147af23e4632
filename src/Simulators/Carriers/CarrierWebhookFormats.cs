using System.Globalization;
using System.Text.Json;
using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>
/// A carrier's own webhook payload and vocabulary (docs/flows.md, "Ship-to-deliver: carrier webhooks"). The body is
/// serialised once per status: every send, duplicate and resend carries these exact bytes.
/// </summary>
internal interface ICarrierWebhookFormat
{
    string BookingPrefix { get; }

    /// <summary>Hubs or depots a journey passes through.</summary>
    IReadOnlyList<Place> Hubs { get; }

    string TrackingNumber(long number);

    /// <summary>The carrier's own status code for a journey status.</summary>
    string Code(JourneyStatus status);

    /// <summary>The carrier's event id for a step: the orchestrator dedupes by it, whatever the webhook id.</summary>
    string EventId(int seed, string trackingNumber, int step);

    byte[] Serialize(int seed, Booking booking, JourneyStep step);
}

/// <summary>
/// The carriers' status vocabularies side by side, row for row as in docs/flows.md's table (the canonical milestone
/// each becomes is the orchestrator's partner adapters' business).
/// </summary>
internal static class CarrierVocabulary
{
    private static readonly Dictionary<JourneyStatus, (string ParcelFast, string FreightLine, string FreightLineRemarks)> Table = new()
    {
        [JourneyStatus.LabelCreated] = ("LABEL_CREATED", "BKD", "Consignment booked"),
        [JourneyStatus.InTransit] = ("IN_TRANSIT", "DEP", "Departed depot"),
        [JourneyStatus.Delayed] = ("DELAYED", "DLY", "Line haul missed"),
        [JourneyStatus.OutForDelivery] = ("OUT_FOR_DELIVERY", "OFD", "On delivery vehicle"),
        [JourneyStatus.Delivered] = ("DELIVERED", "DLV", "Delivered"),
        [JourneyStatus.DeliveryAttemptFailed] = ("DELIVERY_ATTEMPT_FAILED", "NDL", "Consignee not available"),
        [JourneyStatus.PodAvailable] = ("POD_AVAILABLE", "POD", "Proof of delivery scanned"),
    };

    public static (string ParcelFast, string FreightLine, string FreightLineRemarks) Of(JourneyStatus status) => Table[status];
}

/// <summary>ParcelFast: flat JSON, SCREAMING_SNAKE status names, <c>eventId</c> strings.</summary>
internal sealed class ParcelFastFormat : ICarrierWebhookFormat
{
    public string BookingPrefix => "PFB";

    public IReadOnlyList<Place> Hubs { get; } =
    [
        new("Kassel", "DE", "Kassel Hub"), new("Leipzig", "DE", "Leipzig Hub"), new("Frankfurt am Main", "DE", "Frankfurt Hub"), new("Hannover", "DE", "Hannover Hub"),
    ];

    public string TrackingNumber(long number) => string.Create(CultureInfo.InvariantCulture, $"PF{number:D10}");

    public string Code(JourneyStatus status) => CarrierVocabulary.Of(status).ParcelFast;

    public string EventId(int seed, string trackingNumber, int step) => $"pf-{SeededRandom.Id(seed, "parcelfast.events", $"{trackingNumber}/{step}"):N}";

    public byte[] Serialize(int seed, Booking booking, JourneyStep step) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        eventId = EventId(seed, booking.TrackingNumber, step.Index),
        trackingNumber = booking.TrackingNumber,
        reference = booking.BusinessKey,
        status = Code(step.Status),
        occurredAt = step.OccurredAt,
        estimatedDelivery = step.EstimatedDelivery,
        location = new { city = step.Place.City, country = step.Place.Country },
        proofOfDelivery = step.ProofOfDelivery,
    }, JsonSerializerOptions.Web);
}

/// <summary>FreightLine: consignment and event objects, three-letter event codes, numeric <c>messageNumber</c>s, UTC times.</summary>
internal sealed class FreightLineFormat : ICarrierWebhookFormat
{
    public string BookingPrefix => "FLB";

    public IReadOnlyList<Place> Hubs { get; } =
    [
        new("Hamburg", "DE", "Hamburg Hub"), new("Duisburg", "DE", "Duisburg Hub"), new("Nuremberg", "DE", "Nuremberg Hub"), new("Venlo", "NL", "Venlo Crossdock"),
    ];

    public string TrackingNumber(long number) => string.Create(CultureInfo.InvariantCulture, $"FL-{number:D10}");

    public string Code(JourneyStatus status) => CarrierVocabulary.Of(status).FreightLine;

    /// <summary>A positive number below 2^53, so any JSON reader holds it exactly.</summary>
    public static long MessageNumber(int seed, string trackingNumber, int step) =>
        1 + (long)(SeededRandom.Unit(seed, "freightline.messages", $"{trackingNumber}/{step}") * ((1L << 53) - 2));

    public string EventId(int seed, string trackingNumber, int step) => MessageNumber(seed, trackingNumber, step).ToString(CultureInfo.InvariantCulture);

    public byte[] Serialize(int seed, Booking booking, JourneyStep step) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        messageNumber = MessageNumber(seed, booking.TrackingNumber, step.Index),
        consignment = new { number = booking.TrackingNumber, shipperRef = booking.BusinessKey },
        @event = new
        {
            code = Code(step.Status),
            timestampUtc = step.OccurredAt.UtcDateTime,
            depot = step.Place.Depot,
            revisedEta = step.RevisedEta?.UtcDateTime,
            remarks = CarrierVocabulary.Of(step.Status).FreightLineRemarks,
        },
        proofOfDelivery = step.ProofOfDelivery,
    }, JsonSerializerOptions.Web);
}
