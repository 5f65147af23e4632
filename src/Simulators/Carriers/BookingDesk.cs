using System.Collections.Concurrent;
using System.Globalization;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Telemetry;
using LogisticsSync.Simulators.Tms;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>The carrier's decision on a tender: booked (with the booking) or rejected (with a reason and why).</summary>
internal sealed record BookingDecision(Booking? Booking, string? Reason, string? Detail);

/// <summary>What the carrier has decided (<c>GET /carrier/api/bookings</c>).</summary>
public sealed record BookingReport(string CarrierId, int Tenders, int Booked, int Rejected, int Repeats, IReadOnlyList<BookingView> Bookings);

public sealed record BookingView(Guid TenderId, string BusinessKey, string Outcome, string? TrackingNumber, DateTimeOffset? EstimatedDeliveryAt, string? Reason);

/// <summary>
/// The carrier's booking desk: one decision per tender id, made once (a repeat answers as the first time and books
/// nothing), rejected at the profile's TenderRejectionRate (drawn from the seed and the shipment's business key) or when the
/// carrier does not run the service level; a booking starts the shipment's journey.
/// </summary>
internal sealed partial class BookingDesk(
    CarrierIdentity carrier,
    SimulationSeed seed,
    FaultInjector faults,
    JourneyDriver journeys,
    TimeProvider time,
    SimulatorMetrics metrics,
    ILogger<BookingDesk> logger)
{
    private static readonly string[] RejectionReasons = ["capacity", "weight", "lane"];
    private readonly ConcurrentDictionary<Guid, Lazy<(TenderRequest Tender, BookingDecision Decision)>> _decisions = new();
    private int _repeats;

    /// <returns>The decision and whether it was made before (a repeat).</returns>
    public (BookingDecision Decision, bool Repeat) Book(TenderRequest tender)
    {
        var created = new Lazy<(TenderRequest, BookingDecision)>(() => (tender, Decide(tender)));
        var entry = _decisions.GetOrAdd(tender.TenderId!.Value, created);
        var decision = entry.Value.Decision;
        if (entry != created)
        {
            Interlocked.Increment(ref _repeats);
            return (decision, true);
        }

        return (decision, false);
    }

    public Booking? Find(string trackingNumber) =>
        _decisions.Values.Select(d => d.Value.Decision.Booking).FirstOrDefault(b => b?.TrackingNumber == trackingNumber);

    public BookingReport Report()
    {
        var views = _decisions.Values.Select(d => d.Value).Select(d => new BookingView(
                d.Tender.TenderId!.Value, d.Tender.BusinessKey!, d.Decision.Booking is null ? "rejected" : "booked",
                d.Decision.Booking?.TrackingNumber, d.Decision.Booking?.EstimatedDeliveryAt, d.Decision.Reason))
            .OrderBy(v => v.TenderId).ToList();
        return new BookingReport(carrier.Id, views.Count, views.Count(v => v.Outcome == "booked"), views.Count(v => v.Outcome == "rejected"), Volatile.Read(ref _repeats), views);
    }

    private BookingDecision Decide(TenderRequest tender)
    {
        // Decisions are keyed by the shipment, not the tender id the orchestrator made up: the same seed then rejects the
        // same shipments on every run (and a carrier that said no to a shipment says no again to its next tender).
        var shipmentKey = tender.BusinessKey!;
        var level = carrier.Carrier.ServiceLevels.FirstOrDefault(l => l.Name == tender.ServiceLevel);
        BookingDecision decision;
        if (tender.CarrierId != carrier.Id)
        {
            decision = new BookingDecision(null, "lane", $"This is {carrier.Carrier.Name} ({carrier.Id}); the tender is for '{tender.CarrierId}'.");
        }
        else if (level is null)
        {
            decision = new BookingDecision(null, "lane", $"{carrier.Carrier.Name} runs no '{tender.ServiceLevel}' service (it runs {string.Join(", ", carrier.Carrier.ServiceLevels.Select(l => l.Name))}).");
        }
        else if (faults.Happens(faults.Current.TenderRejectionRate, $"{carrier.Id}.tender-rejection", shipmentKey))
        {
            metrics.FaultInjected("tender-rejection");
            var reason = RejectionReasons[(int)(SeededRandom.Unit(seed.Value, $"{carrier.Id}.rejection-reason", shipmentKey) * RejectionReasons.Length)];
            decision = new BookingDecision(null, reason, reason switch
            {
                "capacity" => "No capacity left on the requested pickup day.",
                "weight" => string.Create(CultureInfo.InvariantCulture, $"{tender.WeightKg} kg does not fit the vehicle planned for this lane."),
                _ => $"The lane to {tender.ShipTo!.Country} is not served on this service level this week.",
            });
        }
        else
        {
            var booking = Booking.Create(seed.Value, carrier, level, tender, time.GetUtcNow());
            journeys.Start(JourneyPlan.For(seed.Value, carrier, booking, faults.Current));
            decision = new BookingDecision(booking, null, null);
        }

        metrics.Booking(decision.Booking is null ? "rejected" : "booked");
        LogDecided(tender.TenderId!.Value, tender.BusinessKey!, decision.Booking?.TrackingNumber ?? "-", decision.Reason ?? "booked");
        return decision;
    }

    [LoggerMessage(EventId = LogEventIds.BookingDeskDecided, Level = LogLevel.Information, Message = "Tender {TenderId} for {BusinessKey}: {TrackingNumber} {Outcome}")]
    private partial void LogDecided(Guid tenderId, string businessKey, string trackingNumber, string outcome);
}
