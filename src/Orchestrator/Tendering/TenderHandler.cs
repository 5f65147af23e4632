using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Partners;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Work;
using LogisticsSync.ServiceDefaults.Protocol.Tendering;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.Tendering;

/// <summary>
/// Order-to-ship after Packed (docs/flows.md): rates from the TMS, then a tender per quoted carrier in quote
/// order, skipping carriers that rejected this shipment before, until one books. Every answer is recorded in its
/// own transaction with the task's fence, so a crash between two tenders resumes where it stopped, and a tender
/// whose answer was lost is sent again under the same id before anything else. When no carrier books (all
/// rejected or unavailable, or the TMS down) the shipment is BookingDeferred with an open exception, and the task
/// is parked with back-off; the booking that finally succeeds resolves the exception.
/// </summary>
internal sealed partial class TenderHandler(
    ShipmentTransactions transactions,
    ShipmentReads shipments,
    TenderStore tenders,
    PartnerTaskStore tasks,
    ExceptionRecords exceptionRecords,
    TmsClient tms,
    IOptionsMonitor<PartnerWorkOptions> options,
    TenderMetrics metrics,
    TimeProvider time,
    ILogger<TenderHandler> logger) : IPartnerTaskHandler
{
    /// <summary>States in which a shipment still waits for a booking; in any other the task has nothing left to do.</summary>
    private static readonly HashSet<ShipmentState> Tenderable =
        [ShipmentState.Packed, ShipmentState.Tendered, ShipmentState.TenderRejected, ShipmentState.BookingDeferred];

    public string Kind => TaskKinds.Tender;

    public async Task HandleAsync(ClaimedTask task, CancellationToken cancellationToken)
    {
        var shipment = await shipments.FindAsync(task.ShipmentId, cancellationToken)
            ?? throw new InvalidOperationException($"Task {task.Id} names shipment {task.ShipmentId}, which does not exist.");
        if (!Tenderable.Contains(shipment.State))
        {
            await CompleteAsync(task, $"nothing to tender: shipment is {shipment.State}", cancellationToken);
            return;
        }

        var triedNow = new HashSet<string>(StringComparer.Ordinal);
        TimeSpan? retryAfter = null;
        try
        {
            // A tender whose answer was lost goes first, under its own id: the TMS answers it as the first time.
            if (await tenders.FindOpenAsync(shipment.Id, cancellationToken) is { } open)
            {
                triedNow.Add(open.CarrierId);
                var outcome = await SendAsync(task, shipment, open, isNew: false, recordTendered: shipment.State != ShipmentState.Tendered, cancellationToken);
                if (outcome.Booked)
                {
                    return;
                }

                retryAfter = Max(retryAfter, outcome.RetryAfter);
            }

            var quotes = await tms.GetRatesAsync(shipment.BusinessKey, shipment.ServiceLevel, shipment.Release.ShipTo?.Country ?? "", shipment.WeightKg, cancellationToken);
            var rejected = await tenders.RejectedCarriersAsync(shipment.Id, cancellationToken);
            foreach (var quote in quotes.Where(q => !rejected.Contains(q.CarrierId) && triedNow.Add(q.CarrierId)))
            {
                var tender = new TenderRecord(Guid.CreateVersion7(time.GetUtcNow()), shipment.Id, quote.CarrierId, quote.ServiceLevel ?? shipment.ServiceLevel);
                var outcome = await SendAsync(task, shipment, tender, isNew: true, recordTendered: true, cancellationToken);
                if (outcome.Booked)
                {
                    return;
                }

                retryAfter = Max(retryAfter, outcome.RetryAfter);
            }

            var reason = quotes.Count == 0
                ? "TMS quoted no carrier"
                : $"no quoted carrier booked ({string.Join(", ", quotes.Select(q => q.CarrierId))}; rejected: {(rejected.Count == 0 ? "none" : string.Join(", ", rejected))})";
            await DeferAsync(task, shipment.Id, reason, retryAfter, cancellationToken);
        }
        catch (PartnerUnavailableException unavailable)
        {
            await DeferAsync(task, shipment.Id, $"TMS unavailable: {unavailable.Message}", Max(retryAfter, unavailable.RetryAfter), cancellationToken);
        }
    }

    private sealed record SendOutcome(bool Booked, TimeSpan? RetryAfter);

    /// <summary>Records the tender (and Tendered) before the call, then the answer; a TMS failure propagates with the tender left open.</summary>
    private async Task<SendOutcome> SendAsync(ClaimedTask task, Shipment shipment, TenderRecord tender, bool isNew, bool recordTendered, CancellationToken cancellationToken)
    {
        var correlationId = shipment.CorrelationId;
        if (isNew || recordTendered)
        {
            await transactions.RunAsync(async unit =>
            {
                if (isNew)
                {
                    await tenders.AddAsync(unit.Transaction, tender, time.GetUtcNow(), cancellationToken);
                }

                // The task's fence in this transaction too: a run that lost its lease sends no tender.
                await tasks.RenewAsync(unit.Transaction, task, cancellationToken);
                if (recordTendered)
                {
                    await unit.ApplyAsync(shipment.Id, new IncomingMilestone(
                        $"tender:{tender.TenderId}:tendered:{task.Attempt}", ShipmentMilestone.Tendered, EstateSystem.Tms, correlationId, time.GetUtcNow(),
                        $"tendered to {tender.CarrierId} ({tender.ServiceLevel}), tender {tender.TenderId}"), cancellationToken);
                }
            }, cancellationToken);
            metrics.Tendered(tender.CarrierId);
        }

        var answer = await tms.TenderAsync(new TenderRequest(
            tender.TenderId, shipment.Id, shipment.BusinessKey, tender.CarrierId, tender.ServiceLevel, shipment.PromisedBy,
            shipment.Release.ShipTo, shipment.WeightKg), cancellationToken);
        var now = time.GetUtcNow();
        switch (answer.Outcome)
        {
            case TenderAnswer.Booked:
                await RecordBookedAsync(task, shipment, tender, answer, now, cancellationToken);
                return new SendOutcome(true, null);

            default:
                // Unavailable is recorded as a rejection of this tender too (the lifecycle's way on to the next
                // carrier), but the carrier is only excluded for good when it said no.
                var rejectedForGood = answer.Outcome == TenderAnswer.Rejected;
                var reason = rejectedForGood ? $"{tender.CarrierId} rejected: {answer.Reason}" : $"{tender.CarrierId} unavailable: {answer.Reason}";
                await transactions.RunAsync(async unit =>
                {
                    await tenders.AnswerAsync(unit.Transaction, tender.TenderId, answer.Outcome!, answer.Reason, now, cancellationToken);
                    await tasks.RenewAsync(unit.Transaction, task, cancellationToken);
                    await unit.ApplyAsync(shipment.Id, new IncomingMilestone(
                        $"tender:{tender.TenderId}:rejected", ShipmentMilestone.TenderRejected, EstateSystem.Tms, correlationId, now, reason), cancellationToken);
                }, cancellationToken);
                metrics.Rejected(tender.CarrierId, answer.Outcome!);
                return new SendOutcome(false, answer.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        }
    }

    /// <summary>The booking, the Booked milestone with its references, the deferred-booking exception resolved and the task done: one unit.</summary>
    private async Task RecordBookedAsync(ClaimedTask task, Shipment shipment, TenderRecord tender, TenderAnswer answer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await transactions.RunAsync(async unit =>
        {
            await tenders.AnswerAsync(unit.Transaction, tender.TenderId, TenderAnswer.Booked, answer.BookingReference, now, cancellationToken);
            await unit.ApplyAsync(shipment.Id, new IncomingMilestone(
                $"tender:{tender.TenderId}:booked", ShipmentMilestone.Booked, EstateSystem.Tms, shipment.CorrelationId, now,
                $"booked with {tender.CarrierId}: booking {answer.BookingReference}, tracking {answer.TrackingNumber}",
                new MilestoneFacts(tender.CarrierId, answer.BookingReference, answer.TrackingNumber, answer.EstimatedDeliveryAt)), cancellationToken);
            await unit.ResolveExceptionAsync(exceptionRecords.Resolve(shipment.Id, ExceptionTypes.BookingDeferred,
                $"booked with {tender.CarrierId} (booking {answer.BookingReference})"), ExceptionTypes.BookingDeferred, cancellationToken);
            await tasks.CompleteAsync(unit.Transaction, task, $"booked with {tender.CarrierId}", cancellationToken);
        }, cancellationToken);
        metrics.Booked(tender.CarrierId);
        LogBooked(shipment.BusinessKey, tender.CarrierId, answer.BookingReference);
    }

    /// <summary>BookingDeferred (unless it is already), the exception opened or its detail refreshed, the task parked with back-off.</summary>
    private async Task DeferAsync(ClaimedTask task, Guid shipmentId, string reason, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var delay = Backoff.Delay(task.Failures + 1, current.RetryDelay, current.MaxRetryDelay, Random.Shared);
        if (retryAfter > delay)
        {
            delay = retryAfter.Value;
        }

        var dueAt = time.GetUtcNow() + delay;
        var detail = $"{reason}; next attempt at {dueAt:O} (attempt {task.Attempt})";
        await transactions.RunAsync(async unit =>
        {
            var shipment = await shipments.FindAsync(shipmentId, cancellationToken)
                ?? throw new InvalidOperationException($"Shipment {shipmentId} vanished.");
            if (shipment.State != ShipmentState.BookingDeferred)
            {
                await unit.ApplyAsync(shipmentId, new IncomingMilestone(
                    $"tender-task:{task.Id}:deferred:{task.Attempt}", ShipmentMilestone.BookingDeferred, EstateSystem.Orchestrator,
                    shipment.CorrelationId, time.GetUtcNow(), reason), cancellationToken);
            }

            if (!await unit.OpenExceptionAsync(exceptionRecords.Open(shipmentId, shipment.BusinessKey, ExceptionTypes.BookingDeferred, detail), ExceptionTypes.BookingDeferred, cancellationToken))
            {
                await unit.ExecuteAsync(ExceptionRecords.Refresh(shipmentId, ExceptionTypes.BookingDeferred, detail), cancellationToken);
            }

            await tasks.RescheduleAsync(unit.Transaction, task, dueAt, reason, cancellationToken);
        }, cancellationToken);
        metrics.Deferred();
        LogDeferred(shipmentId, reason, dueAt);
    }

    private async Task CompleteAsync(ClaimedTask task, string outcome, CancellationToken cancellationToken) =>
        await transactions.RunAsync(unit => tasks.CompleteAsync(unit.Transaction, task, outcome, cancellationToken), cancellationToken);

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(EventId = LogEventIds.TenderHandlerBooked, Level = LogLevel.Information, Message = "Shipment {BusinessKey} booked with {CarrierId} (booking {BookingReference})")]
    private partial void LogBooked(string businessKey, string carrierId, string? bookingReference);

    [LoggerMessage(EventId = LogEventIds.TenderHandlerDeferred, Level = LogLevel.Warning, Message = "Booking of shipment {ShipmentId} deferred: {Reason}; next attempt at {DueAt}")]
    private partial void LogDeferred(Guid shipmentId, string reason, DateTimeOffset dueAt);
}

/// <summary>Tendering as counters on the orchestrator meter, by carrier (and outcome for rejections).</summary>
internal sealed class TenderMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _tendered = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.tendered", description: "Tenders sent to the TMS, by carrier");

    private readonly Counter<long> _booked = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.booked", description: "Tenders booked, by carrier");

    private readonly Counter<long> _rejected = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.tender_rejected", description: "Tenders not booked, by carrier and outcome (rejected, unavailable)");

    private readonly Counter<long> _deferred = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.booking_deferred", description: "Tender rounds that ended without a booking (shipment parked in BookingDeferred)");

    public void Tendered(string carrier) => _tendered.Add(1, Carrier(carrier));

    public void Booked(string carrier) => _booked.Add(1, Carrier(carrier));

    public void Rejected(string carrier, string outcome) => _rejected.Add(1, Carrier(carrier), new KeyValuePair<string, object?>("outcome", outcome));

    public void Deferred() => _deferred.Add(1);

    private static KeyValuePair<string, object?> Carrier(string carrier) => new("carrier", carrier);
}
