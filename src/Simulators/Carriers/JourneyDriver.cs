using System.Collections.Concurrent;
using LogisticsSync.Simulators.Data;
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
    IReadOnlyList<string> Sent);

/// <summary>What the carrier has driven (<c>GET /carrier/journeys</c>).</summary>
public sealed record JourneyReport(
    string CarrierId,
    int Journeys,
    int Completed,
    int Delayed,
    int LatePastPromise,
    int FailedAttempts,
    int Reordered,
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
        var views = _journeys.Values.Select(j => j.View()).OrderBy(v => v.TrackingNumber, StringComparer.Ordinal).ToList();
        return new JourneyReport(carrier.Id, views.Count, views.Count(v => v.Completed), views.Count(v => v.Delayed), views.Count(v => v.LatePastPromise),
            views.Count(v => v.FailedAttempt), views.Count(v => v.Reordered), sender.Report(), views);
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
                var webhook = new OutgoingWebhook(WebhookId(seed.Value, carrier.Id, booking.TrackingNumber, step.Index, "0"), bodies[step.Index], WebhookKinds.First, booking.TrackingNumber);
                await sender.DeliverAsync(webhook, stoppingToken);
                sent.Add(step);
                journey.Sent(carrier.Format.Code(step.Status));
                LogSent(booking.TrackingNumber, carrier.Format.Code(step.Status), step.OccurredAt);

                switch (step.Repeat)
                {
                    case Repeat.SameWebhookId:
                        metrics.FaultInjected("duplicate");
                        await sender.DeliverAsync(webhook with { Kind = WebhookKinds.Duplicate }, stoppingToken);
                        break;
                    case Repeat.NewWebhookId:
                        metrics.FaultInjected("resend");
                        await sender.DeliverAsync(webhook with { WebhookId = WebhookId(seed.Value, carrier.Id, booking.TrackingNumber, step.Index, "resend"), Kind = WebhookKinds.Resend }, stoppingToken);
                        break;
                }

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
        private bool _completed;

        public JourneyPlan Plan => plan;

        public void Sent(string code)
        {
            lock (_gate)
            {
                _sent.Add(code);
            }
        }

        public void Complete()
        {
            lock (_gate)
            {
                _completed = true;
            }
        }

        public JourneyView View()
        {
            lock (_gate)
            {
                var booking = plan.Booking;
                return new JourneyView(booking.TenderId, booking.BusinessKey, booking.TrackingNumber, booking.PromisedBy, booking.EstimatedDeliveryAt,
                    plan.Delayed, plan.LatePastPromise, plan.FailedAttempt, plan.HeldBack is not null, _completed, [.. _sent]);
            }
        }
    }

    [LoggerMessage(EventId = LogEventIds.JourneyDriverSent, Level = LogLevel.Debug, Message = "Shipment {TrackingNumber}: {Status} (simulated {OccurredAt:O}) delivered")]
    private partial void LogSent(string trackingNumber, string status, DateTimeOffset occurredAt);

    [LoggerMessage(EventId = LogEventIds.JourneyDriverJourneyFailed, Level = LogLevel.Error, Message = "Journey of {TrackingNumber} failed unexpectedly")]
    private partial void LogJourneyFailed(Exception exception, string trackingNumber);
}
