using System.Collections.Concurrent;
using LogisticsSync.ServiceDefaults.Tracing;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Telemetry;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>One journey as the carrier reports it: what it planned and which statuses it has sent so far.</summary>
public sealed record JourneyView(
    Guid TenderId,
    string BusinessKey,
    string TrackingNumber,
    DateTimeOffset PromisedBy,
    DateTimeOffset EstimatedDeliveryAt,
    bool Delayed,
    bool LatePastPromise,
    bool FailedAttempt,
    bool Reordered,
    bool Completed,
    IReadOnlyList<string> Sent,
    IReadOnlyList<string> Lost);

/// <summary>What the carrier has driven (<c>GET /carrier/journeys</c>).</summary>
public sealed record JourneyReport(
    string CarrierId,
    int Journeys,
    int Completed,
    int Delayed,
    int LatePastPromise,
    int FailedAttempts,
    int Reordered,
    int LostStatuses,
    WebhookReport Webhooks,
    IReadOnlyList<JourneyView> Shipments);

/// <summary>
/// Drives each booked shipment's journey on the scaled clock: every status is sent when its simulated time comes
/// (<see cref="SimulationClock"/>), as a signed webhook in the carrier's own format, with the plan's repeats, reorder
/// and storms. Journeys live in memory: a restarted carrier has forgotten them, as a real one would not.
/// </summary>
internal sealed partial class JourneyDriver(
    WebhookSender sender,
    CarrierIdentity carrier,
    SimulationSeed seed,
    SimulationClock clock,
    FaultInjector faults,
    SimulatorMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<JourneyDriver> logger)
{
    private readonly ConcurrentDictionary<string, Journey> _journeys = new(StringComparer.Ordinal);

    public void Start(JourneyPlan plan)
    {
        var journey = new Journey(plan);
        if (_journeys.TryAdd(plan.Booking.TrackingNumber, journey))
        {
            foreach (var (fault, happened) in new[] { ("delay", plan.Delayed), ("failed-attempt", plan.FailedAttempt), ("reorder", plan.HeldBack is not null) })
            {
                if (happened)
                {
                    metrics.FaultInjected(fault);
                }
            }

            _ = Task.Run(() => RunAsync(journey, lifetime.ApplicationStopping));
        }
    }

    public JourneyReport Report()
    {
        var views = _journeys.Values.Select(j => j.View(step => carrier.Format.Code(step.Status))).OrderBy(v => v.TrackingNumber, StringComparer.Ordinal).ToList();
        return new JourneyReport(carrier.Id, views.Count, views.Count(v => v.Completed), views.Count(v => v.Delayed), views.Count(v => v.LatePastPromise),
            views.Count(v => v.FailedAttempt), views.Count(v => v.Reordered), views.Sum(v => v.Lost.Count), sender.Report(), views);
    }

    /// <summary>The carrier's tracking record of one shipment; null when it booked no such tracking number.</summary>
    public TrackingRecord? Track(string trackingNumber) =>
        _journeys.TryGetValue(trackingNumber, out var journey) ? journey.Tracking(carrier.Format) : null;

    /// <summary>
    /// Sends every status that has happened again, in journey order, under its first webhook id: the gateway and the
    /// adapter absorb those already delivered, a lost one arrives now. Null when the carrier has no such shipment.
    /// </summary>
    public async Task<int?> PushAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        if (!_journeys.TryGetValue(trackingNumber, out var journey))
        {
            return null;
        }

        var booking = journey.Plan.Booking;
        var steps = journey.Resend();
        foreach (var step in steps)
        {
            var body = carrier.Format.Serialize(seed.Value, booking, step);
            await sender.DeliverAsync(new OutgoingWebhook(WebhookId(seed.Value, carrier.Id, booking.TrackingNumber, step.Index, "0"), body, WebhookKinds.Resend, booking.TrackingNumber), cancellationToken);
        }

        return steps.Count;
    }

    /// <summary>A status's webhook id for its first delivery (<c>variant</c> 0) or a repeat under a new id.</summary>
    public static string WebhookId(int seed, string carrierId, string trackingNumber, int step, string variant) =>
        $"msg_{SeededRandom.Id(seed, $"{carrierId}.webhooks", $"{trackingNumber}/{step}/{variant}"):N}";

    private async Task RunAsync(Journey journey, CancellationToken stoppingToken)
    {
        var plan = journey.Plan;
        var booking = plan.Booking;
        var start = Booking.Truncate(booking.BookedAt);
        var bodies = plan.Steps.ToDictionary(s => s.Index, s => carrier.Format.Serialize(seed.Value, booking, s));
        var sent = new List<JourneyStep>();
        try
        {
            foreach (var send in plan.Sends)
            {
                // Due at the simulated instant, counted from the booking in real time: no drift however long sends take.
                var wait = start + clock.ToReal(send.SendAt - start) - clock.Time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock.Time, stoppingToken);
                }

                var step = send.Step;
                if (faults.Happens(faults.Current.LostStatusRate, $"{carrier.Id}.lost-status", $"{booking.TrackingNumber}/{step.Index}"))
                {
                    // Silent loss: the status happened (the tracking record has it), no webhook says so.
                    metrics.FaultInjected("lost-status");
                    journey.Happened(step, lost: true);
                    continue;
                }

                journey.Happened(step, lost: false);
                // Each status is its own span continuing the booking's trace: the HttpClient call under it carries the
                // traceparent through the gateway to the orchestrator's webhook endpoint.
                using var activity = EstateActivities.StartContinuing($"carrier webhook {carrier.Format.Code(step.Status)}", booking.Trace);
                var webhook = new OutgoingWebhook(WebhookId(seed.Value, carrier.Id, booking.TrackingNumber, step.Index, "0"), bodies[step.Index], WebhookKinds.First, booking.TrackingNumber);
                await sender.DeliverAsync(webhook, stoppingToken);
                sent.Add(step);
                journey.Sent(carrier.Format.Code(step.Status));
                LogSent(booking.TrackingNumber, carrier.Format.Code(step.Status), step.OccurredAt);

                await RepeatAsync(webhook, step, stoppingToken);
                if (step.Storm)
                {
                    metrics.FaultInjected("storm");
                    await StormAsync(booking, step, sent, bodies, stoppingToken);
                }
            }

            journey.Complete();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the journey ends with the process.
        }
        catch (Exception exception)
        {
            LogJourneyFailed(exception, booking.TrackingNumber);
        }
    }

    /// <summary>The step's injected repeat, if any: the same delivery again, or the same status under a new webhook id.</summary>
    private async Task RepeatAsync(OutgoingWebhook webhook, JourneyStep step, CancellationToken stoppingToken)
    {
        switch (step.Repeat)
        {
            case Repeat.SameWebhookId:
                metrics.FaultInjected("duplicate");
                await sender.DeliverAsync(webhook with { Kind = WebhookKinds.Duplicate }, stoppingToken);
                break;
            case Repeat.NewWebhookId:
                metrics.FaultInjected("resend");
                await sender.DeliverAsync(webhook with { WebhookId = WebhookId(seed.Value, carrier.Id, webhook.TrackingNumber, step.Index, "resend"), Kind = WebhookKinds.Resend }, stoppingToken);
                break;
        }
    }

    /// <summary>A burst of resends of statuses already sent, all at once: half under their own webhook id, half under new ones.</summary>
    private Task StormAsync(Booking booking, JourneyStep after, List<JourneyStep> sent, Dictionary<int, byte[]> bodies, CancellationToken stoppingToken)
    {
        var random = SeededRandom.For(seed.Value, $"{carrier.Id}.storms", $"{booking.TrackingNumber}/{after.Index}");
        var resends = Enumerable.Range(0, sender.StormSize).Select(k =>
        {
            var step = sent[random.Next(sent.Count)];
            var webhookId = WebhookId(seed.Value, carrier.Id, booking.TrackingNumber, step.Index, random.Next(2) == 0 ? "0" : $"storm-{after.Index}-{k}");
            return sender.DeliverAsync(new OutgoingWebhook(webhookId, bodies[step.Index], WebhookKinds.Storm, booking.TrackingNumber), stoppingToken);
        }).ToList();
        return Task.WhenAll(resends);
    }

    private sealed class Journey(JourneyPlan plan)
    {
        private readonly Lock _gate = new();
        private readonly List<string> _sent = [];
        private readonly SortedDictionary<int, (JourneyStep Step, bool Lost)> _happened = [];
        private bool _completed;

        public JourneyPlan Plan => plan;

        public void Sent(string code)
        {
            lock (_gate)
            {
                _sent.Add(code);
            }
        }

        public void Happened(JourneyStep step, bool lost)
        {
            lock (_gate)
            {
                _happened[step.Index] = (step, lost);
            }
        }

        /// <summary>The steps that happened, to send again; none of them counts as lost any more.</summary>
        public IReadOnlyList<JourneyStep> Resend()
        {
            lock (_gate)
            {
                foreach (var index in _happened.Keys.ToList())
                {
                    _happened[index] = (_happened[index].Step, false);
                }

                return [.. _happened.Values.Select(h => h.Step)];
            }
        }

        public TrackingRecord Tracking(ICarrierWebhookFormat format)
        {
            lock (_gate)
            {
                var booking = plan.Booking;
                var latest = _happened.Count > 0 ? _happened.Values.Last().Step : null;
                return new TrackingRecord(booking.TrackingNumber, booking.BookingReference, booking.BusinessKey, latest is null ? null : format.Code(latest.Status),
                    latest?.OccurredAt, [.. _happened.Values.Select(h => new TrackingEvent(format.Code(h.Step.Status), h.Step.OccurredAt))]);
            }
        }

        public void Complete()
        {
            lock (_gate)
            {
                _completed = true;
            }
        }

        public JourneyView View(Func<JourneyStep, string> format)
        {
            lock (_gate)
            {
                var booking = plan.Booking;
                return new JourneyView(booking.TenderId, booking.BusinessKey, booking.TrackingNumber, booking.PromisedBy, booking.EstimatedDeliveryAt,
                    plan.Delayed, plan.LatePastPromise, plan.FailedAttempt, plan.HeldBack is not null, _completed, [.. _sent],
                    [.. _happened.Values.Where(h => h.Lost).Select(h => format(h.Step))]);
            }
        }
    }

    [LoggerMessage(EventId = LogEventIds.JourneyDriverSent, Level = LogLevel.Debug, Message = "Shipment {TrackingNumber}: {Status} (simulated {OccurredAt:O}) delivered")]
    private partial void LogSent(string trackingNumber, string status, DateTimeOffset occurredAt);

    [LoggerMessage(EventId = LogEventIds.JourneyDriverJourneyFailed, Level = LogLevel.Error, Message = "Journey of {TrackingNumber} failed unexpectedly")]
    private partial void LogJourneyFailed(Exception exception, string trackingNumber);
}
