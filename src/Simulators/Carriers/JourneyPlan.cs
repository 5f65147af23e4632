using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>A shipment's statuses in the carrier's journey; each carrier names them in its own vocabulary.</summary>
public enum JourneyStatus
{
    LabelCreated,
    InTransit,
    Delayed,
    OutForDelivery,
    DeliveryAttemptFailed,
    Delivered,
    PodAvailable,
}

/// <summary>How a status webhook is repeated (Simulator:Faults:DuplicateRate).</summary>
public enum Repeat
{
    None,

    /// <summary>Sent again under the same <c>webhook-id</c>: a retry after a lost answer (the gateway answers 200 duplicate).</summary>
    SameWebhookId,

    /// <summary>Sent again under a new <c>webhook-id</c> with the same body and event id: a resend as a new message.</summary>
    NewWebhookId,
}

public sealed record ProofOfDelivery(string SignedBy, DateTimeOffset SignedAt, string DocumentUrl);

/// <summary>Where a status happened: a hub or the consignee's town.</summary>
internal sealed record Place(string City, string Country, string Depot);

/// <summary>One status of the journey: when it happened (simulated time), where, the ETA then, and how it is sent.</summary>
internal sealed record JourneyStep(
    int Index,
    JourneyStatus Status,
    DateTimeOffset OccurredAt,
    Place Place,
    DateTimeOffset EstimatedDelivery,
    DateTimeOffset? RevisedEta,
    ProofOfDelivery? ProofOfDelivery,
    Repeat Repeat,
    bool Storm);

/// <summary>A step due to be sent at a simulated instant (later than it happened when held back for a reorder).</summary>
internal sealed record ScheduledSend(JourneyStep Step, DateTimeOffset SendAt);

/// <summary>
/// What happens to one booked shipment, decided at booking from the seed and the tracking number: statuses and their
/// simulated times, delays, failed attempts, and the faults of its webhooks (repeats, a reorder, storms). The same
/// seed and booking give the same journey on every run.
/// </summary>
internal sealed record JourneyPlan(Booking Booking, IReadOnlyList<JourneyStep> Steps, IReadOnlyList<ScheduledSend> Sends, bool Delayed, bool FailedAttempt, int? HeldBack)
{
    /// <summary>The delay's revised ETA is past the promise date (the orchestrator opens a DeliveryLate exception).</summary>
    public bool LatePastPromise => Steps.Any(s => s.RevisedEta > Booking.PromisedBy);

    public static JourneyPlan For(int seed, CarrierIdentity carrier, Booking booking, FaultProfile faults)
    {
        var tracking = booking.TrackingNumber;
        var random = SeededRandom.For(seed, $"{carrier.Id}.journeys", tracking);
        var hubs = carrier.Format.Hubs;
        var origin = hubs[random.Next(hubs.Count)];
        var lineHaul = hubs[random.Next(hubs.Count)];
        var consignee = new Place(booking.ShipTo.City!, booking.ShipTo.Country!, $"{booking.ShipTo.City} delivery base");
        var bookedAt = Booking.Truncate(booking.BookedAt);
        var span = booking.EstimatedDeliveryAt - bookedAt;
        var eta = booking.EstimatedDeliveryAt;

        var steps = new List<(JourneyStatus Status, DateTimeOffset At, Place Place, DateTimeOffset Eta, DateTimeOffset? Revised)>();
        void Add(JourneyStatus status, DateTimeOffset at, Place place, DateTimeOffset? revised = null)
        {
            // Never before the previous status: a journey's times only move forward.
            var previous = steps.Count > 0 ? steps[^1].At : bookedAt;
            steps.Add((status, Booking.Truncate(at < previous ? previous + TimeSpan.FromMinutes(1) : at), place, revised ?? eta, revised));
        }

        TimeSpan Hours(double min, double max) => TimeSpan.FromMinutes(Math.Round(60 * (min + (max - min) * random.NextDouble())));

        Add(JourneyStatus.LabelCreated, bookedAt, origin);
        Add(JourneyStatus.InTransit, bookedAt + span * (0.05 + 0.10 * random.NextDouble()), origin);

        var delayed = FaultInjector.Decide(seed, faults.DelayRate, $"{carrier.Id}.delay", tracking);
        if (delayed)
        {
            var pastPromise = SeededRandom.Unit(seed, $"{carrier.Id}.delay-past-promise", tracking) < 0.5;
            var slack = booking.PromisedBy - eta;
            eta = pastPromise || slack <= TimeSpan.Zero
                ? booking.PromisedBy + Hours(2, 30)
                : eta + slack * (0.3 + 0.6 * random.NextDouble());
            var delayedAt = bookedAt + span * (0.35 + 0.25 * random.NextDouble());
            Add(JourneyStatus.Delayed, delayedAt, lineHaul, eta);
            Add(JourneyStatus.InTransit, delayedAt + Hours(2, 8), lineHaul);
        }

        var failedAttempt = FaultInjector.Decide(seed, faults.FailedAttemptRate, $"{carrier.Id}.failed-attempt", tracking);
        var outForDelivery = eta - Hours(2, 5);
        Add(JourneyStatus.OutForDelivery, outForDelivery, consignee);
        if (failedAttempt)
        {
            var attempt = steps[^1].At + Hours(1, 3);
            Add(JourneyStatus.DeliveryAttemptFailed, attempt, consignee);
            Add(JourneyStatus.OutForDelivery, attempt + Hours(18, 22), consignee);
            Add(JourneyStatus.Delivered, steps[^1].At + Hours(1, 5), consignee);
        }
        else
        {
            Add(JourneyStatus.Delivered, eta > steps[^1].At ? eta : steps[^1].At + Hours(0.5, 2), consignee);
        }

        var deliveredAt = steps[^1].At;
        Add(JourneyStatus.PodAvailable, deliveredAt + Hours(0.1, 1), consignee);
        var proof = new ProofOfDelivery(SignedBy(seed, carrier, booking), deliveredAt, $"http://{carrier.Role}/carrier/api/pod/{tracking}");
        var (planned, sends, heldBack) = Schedule(seed, carrier, tracking, steps, proof, faults);
        return new JourneyPlan(booking, planned, sends, delayed, failedAttempt, heldBack);
    }

    /// <summary>The steps as sent: each with its duplicate and storm decisions, one of them held back when the profile reorders.</summary>
    private static (List<JourneyStep> Planned, List<ScheduledSend> Sends, int? HeldBack) Schedule(
        int seed, CarrierIdentity carrier, string tracking, List<(JourneyStatus Status, DateTimeOffset At, Place Place, DateTimeOffset Eta, DateTimeOffset? Revised)> steps,
        ProofOfDelivery proof, FaultProfile faults)
    {
        var planned = steps.Select((s, index) => new JourneyStep(
            index,
            s.Status,
            s.At,
            s.Place,
            s.Eta,
            s.Revised,
            s.Status == JourneyStatus.PodAvailable ? proof : null,
            RepeatOf(seed, carrier, tracking, index, faults.DuplicateRate),
            FaultInjector.Decide(seed, faults.StormRate, $"{carrier.Id}.storm", $"{tracking}/{index}"))).ToList();

        // Reordered: one status (never the label) is held back and sent right after the next one.
        int? heldBack = FaultInjector.Decide(seed, faults.ReorderRate, $"{carrier.Id}.reorder", tracking)
            ? 1 + (int)(SeededRandom.Unit(seed, $"{carrier.Id}.reorder-step", tracking) * (planned.Count - 2))
            : null;
        var sends = planned.Select(step => new ScheduledSend(step, step.Index == heldBack ? planned[step.Index + 1].OccurredAt : step.OccurredAt)).ToList();
        if (heldBack is { } held)
        {
            (sends[held], sends[held + 1]) = (sends[held + 1], sends[held]);
        }

        return (planned, sends, heldBack);
    }

    private static Repeat RepeatOf(int seed, CarrierIdentity carrier, string tracking, int index, double rate) =>
        !FaultInjector.Decide(seed, rate, $"{carrier.Id}.duplicate", $"{tracking}/{index}") ? Repeat.None
        : SeededRandom.Unit(seed, $"{carrier.Id}.duplicate-kind", $"{tracking}/{index}") < 0.5 ? Repeat.SameWebhookId
        : Repeat.NewWebhookId;

    /// <summary>Who signed for it: a name from the consignee's country (Bogus, on the tracking number's own stream).</summary>
    private static string SignedBy(int seed, CarrierIdentity carrier, Booking booking)
    {
        var locale = MasterData.TryLocaleOf(booking.ShipTo.Country!) ?? "en";
        return MasterData.FakerFor(locale, seed, $"{carrier.Id}.signatures", booking.TrackingNumber).Name.FullName();
    }
}
