using LogisticsSync.ServiceDefaults.Tracing;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Tms;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>
/// A tender the carrier accepted: the shipment it moves and what it promised (tracking number, label, ETA), and the
/// trace context of the tender call, which the journey's webhooks continue hours (of simulated time) later.
/// </summary>
internal sealed record Booking(
    Guid TenderId,
    Guid ShipmentId,
    string BusinessKey,
    string ServiceLevel,
    DateTimeOffset PromisedBy,
    ShipToAddress ShipTo,
    decimal WeightKg,
    string BookingReference,
    string TrackingNumber,
    string LabelUrl,
    DateTimeOffset EstimatedDeliveryAt,
    DateTimeOffset BookedAt,
    TraceContext Trace = default)
{
    public BookingConfirmation Confirmation => new(BookingReference, TrackingNumber, LabelUrl, EstimatedDeliveryAt);

    /// <summary>
    /// Books a tender. Numbers come from the seed and the shipment's business key, not the tender id the orchestrator
    /// made up, so the same seed books a shipment under the same numbers, and so drives the same journey, on every run. The ETA is derived from the tender's promise, in the simulation's time frame: the promise less a
    /// few hours' slack, but never sooner than the service level's shortest transit from now.
    /// </summary>
    public static Booking Create(int seed, CarrierIdentity carrier, ServiceLevel level, TenderRequest tender, DateTimeOffset bookedAt)
    {
        var tenderId = tender.TenderId!.Value;
        var random = SeededRandom.For(seed, $"{carrier.Id}.bookings", tender.BusinessKey!);
        var trackingNumber = carrier.Format.TrackingNumber((long)(random.NextDouble() * 1e10));
        var reference = $"{carrier.Format.BookingPrefix}-{SeededRandom.Id(seed, $"{carrier.Id}.booking-references", tender.BusinessKey!).ToString("N")[..10].ToUpperInvariant()}";
        var slack = TimeSpan.FromMinutes(15 * random.Next(4, 33));
        var promisedBy = tender.PromisedBy!.Value;
        var earliest = Truncate(bookedAt) + TimeSpan.FromDays(level.MinTransitDays);
        var eta = promisedBy - slack < earliest ? earliest : promisedBy - slack;
        return new Booking(tenderId, tender.ShipmentId!.Value, tender.BusinessKey!, level.Name, promisedBy, tender.ShipTo!, tender.WeightKg!.Value,
            reference, trackingNumber, $"http://{carrier.Role}/carrier/api/labels/{trackingNumber}", eta, bookedAt, TraceContext.Current);
    }

    /// <summary>Whole seconds: what goes on the wire reads the same on every run.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) => new(instant.Ticks - instant.Ticks % TimeSpan.TicksPerSecond, instant.Offset);
}
