using System.Diagnostics.Metrics;

namespace LogisticsSync.Simulators.Telemetry;

/// <summary>
/// The simulators' own meter (<c>LogisticsSync.Simulators</c>), exported with the ServiceDefaults' OTLP metrics;
/// each process is one role, so its <c>service.name</c> says which system counted. What a test or the dashboard
/// reconciles against the orchestrator's view: orders released, confirmations, tenders, bookings, webhooks, faults.
/// </summary>
internal sealed class SimulatorMetrics
{
    public const string MeterName = "LogisticsSync.Simulators";

    private readonly Counter<long> _ordersReleased;
    private readonly Counter<long> _confirmations;
    private readonly Counter<long> _tenders;
    private readonly Counter<long> _bookings;
    private readonly Counter<long> _webhooksSent;
    private readonly Counter<long> _webhooksRetried;
    private readonly Counter<long> _webhooksFailed;
    private readonly UpDownCounter<long> _webhooksPending;
    private readonly Counter<long> _faults;

    public SimulatorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _ordersReleased = meter.CreateCounter<long>("simulator.orders.released", "{order}", "ERP orders answered 201 by the gateway (first release, not resends)");
        _confirmations = meter.CreateCounter<long>("simulator.confirmations.sent", "{confirmation}", "WMS milestones published, by milestone (duplicates included)");
        _tenders = meter.CreateCounter<long>("simulator.tenders.answered", "{tender}", "TMS tender answers, by carrier, outcome and whether replayed");
        _bookings = meter.CreateCounter<long>("simulator.bookings", "{booking}", "Carrier booking decisions, by outcome (booked, rejected); repeats not counted");
        _webhooksSent = meter.CreateCounter<long>("simulator.webhooks.sent", "{webhook}", "Carrier webhooks delivered (2xx), by kind: first, duplicate (same webhook-id), resend (new webhook-id, same event), storm");
        _webhooksRetried = meter.CreateCounter<long>("simulator.webhooks.retried", "{attempt}", "Carrier webhook attempts retried after a timeout, 5xx, 409 or 429");
        _webhooksFailed = meter.CreateCounter<long>("simulator.webhooks.failed", "{webhook}", "Carrier webhooks the gateway refused for good (4xx other than 408/409/429)");
        _webhooksPending = meter.CreateUpDownCounter<long>("simulator.webhooks.pending", "{webhook}", "Carrier webhooks waiting for delivery (kept in memory, retried)");
        _faults = meter.CreateCounter<long>("simulator.faults.injected", "{fault}", "Faults the profile injected, by fault");
    }

    public void OrderReleased() => _ordersReleased.Add(1);

    public void ConfirmationSent(string milestone) => _confirmations.Add(1, new KeyValuePair<string, object?>("milestone", milestone));

    public void TenderAnswered(string carrierId, string outcome, bool replayed) => _tenders.Add(1,
        new KeyValuePair<string, object?>("carrier", carrierId), new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("replayed", replayed));

    public void Booking(string outcome) => _bookings.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void WebhookSent(string kind) => _webhooksSent.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void WebhookRetried() => _webhooksRetried.Add(1);

    public void WebhookFailed() => _webhooksFailed.Add(1);

    public void WebhookPending(int change) => _webhooksPending.Add(change);

    public void FaultInjected(string fault, long count = 1)
    {
        if (count > 0)
        {
            _faults.Add(count, new KeyValuePair<string, object?>("fault", fault));
        }
    }
}
