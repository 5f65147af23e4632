using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Data;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Work;
using LogisticsSync.ServiceDefaults.Input;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LogisticsSync.Orchestrator.CarrierWebhooks;

/// <summary>What the adapter made of an inbox row (<c>carrier_webhook_inbox.outcome</c>).</summary>
internal static class WebhookOutcomes
{
    public const string Applied = "applied";
    public const string Stale = "stale";
    public const string Rejected = "rejected";
    public const string Duplicate = "duplicate";
    public const string Recorded = "recorded";
    public const string GovernanceViolation = "rejected-other-carrier";
    public const string Malformed = "rejected-malformed";
    public const string UnknownShipment = "rejected-unknown-shipment";
    public const string Failed = "failed";
}

/// <summary>Webhooks processed, by carrier and outcome.</summary>
internal sealed class CarrierAdapterMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _processed = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.carrier_webhooks.processed", description: "Carrier webhooks the partner adapter processed, by carrier and outcome");

    public void Processed(string carrier, string outcome) =>
        _processed.Add(1, new KeyValuePair<string, object?>("carrier", carrier), new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>
/// The partner adapter behind the raw carrier inbox: any replica takes the next unprocessed row with
/// FOR UPDATE SKIP LOCKED and, in that one transaction, normalises it, dedupes it by the carrier's own event id,
/// checks it against the shipment's booked carrier, applies the canonical milestone (or records it in the trail
/// only) and marks the row processed with its outcome. Nothing is lost: a crash rolls all of it back and the row
/// is taken again; nothing is applied twice: the dedupe row commits with the milestone.
/// </summary>
internal sealed partial class CarrierAdapter(
    ShipmentTransactions transactions,
    ShipmentMetrics shipmentMetrics,
    CarrierWebhookSignal signal,
    CarrierAdapterMetrics metrics,
    IOptionsMonitor<CarrierAdapterOptions> options,
    TimeProvider time,
    ILogger<CarrierAdapter> logger) : BackgroundService
{
    private sealed record InboxRow(long Id, string CarrierId, string WebhookId, byte[] Body, string CorrelationId, int Attempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool processed;
            try
            {
                processed = await ProcessNextAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database gone for a moment, or a bug: never the end of the adapter (a crashed background
                // service would stop the replica). A row that fails again and again is set aside below.
                LogProcessingFailed(exception);
                processed = false;
            }

            if (!processed)
            {
                await ((Task)signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <returns>False when no row was due.</returns>
    internal async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        await using var unit = await transactions.BeginAsync(cancellationToken);
        var row = await ClaimAsync(unit.Transaction, cancellationToken);
        if (row is null)
        {
            return false;
        }

        try
        {
            if (await ProcessAsync(unit, row, cancellationToken) is { } outcome)
            {
                unit.AfterCommit(() => Processed(row.CarrierId, outcome));
            }

            await unit.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await unit.RollbackAsync(CancellationToken.None);
            // Out of the way, so one poison row does not hold up those behind it; settled after MaxAttempts.
            await SetAsideAsync(row, exception, cancellationToken);
            throw;
        }

        return true;
    }

    private void Processed(string carrierId, string outcome)
    {
        metrics.Processed(carrierId, outcome);
        if (outcome == WebhookOutcomes.GovernanceViolation)
        {
            shipmentMetrics.GovernanceViolation();
        }
    }

    private async Task<InboxRow?> ClaimAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, carrier_id, webhook_id, body, correlation_id, attempts FROM carrier_webhook_inbox
            WHERE processed_at IS NULL AND next_attempt_at <= $1
            ORDER BY next_attempt_at, id LIMIT 1
            FOR UPDATE SKIP LOCKED
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new InboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetString(4), reader.GetInt32(5))
            : null;
    }

    /// <returns>The outcome once the row is settled; null when it waits for another look.</returns>
    private async Task<string?> ProcessAsync(ShipmentUnitOfWork unit, InboxRow row, CancellationToken cancellationToken)
    {
        var transaction = unit.Transaction;
        CarrierEvent carrierEvent;
        try
        {
            carrierEvent = CarrierFormats.Parse(row.CarrierId, row.Body);
        }
        catch (CarrierFormatException exception)
        {
            await SettleAsync(transaction, row, WebhookOutcomes.Malformed, exception.Message, null, cancellationToken);
            LogRejected(row.CarrierId, row.WebhookId, exception.Message);
            return WebhookOutcomes.Malformed;
        }

        var shipment = await ShipmentReads.FindForCarrierAsync(transaction, row.CarrierId, carrierEvent.TrackingNumber, carrierEvent.Reference, cancellationToken);
        if (shipment is null || shipment.CarrierId is null)
        {
            return await NotBookedYetAsync(transaction, row, carrierEvent, shipment, cancellationToken);
        }

        var eventId = $"{row.CarrierId}:{carrierEvent.EventId}";
        if (shipment.CarrierId != row.CarrierId)
        {
            var violation = $"governance violation: {row.CarrierId} reported {carrierEvent.Status} for a shipment booked with {shipment.CarrierId}";
            await unit.ExecuteAsync(ShipmentTrail.Row(shipment.Id, eventId, MilestoneName(carrierEvent), EstateSystem.Carrier.ToString(),
                TrailOutcomes.Rejected(RejectionReason.NotOwner), shipment.State.ToString(), null, violation, row.CorrelationId, carrierEvent.OccurredAt), cancellationToken);
            await SettleAsync(transaction, row, WebhookOutcomes.GovernanceViolation, violation, shipment.Id, cancellationToken);
            LogRejected(row.CarrierId, row.WebhookId, violation);
            return WebhookOutcomes.GovernanceViolation;
        }

        if (!await FirstTimeAsync(transaction, row, carrierEvent, cancellationToken))
        {
            await SettleAsync(transaction, row, WebhookOutcomes.Duplicate, $"{row.CarrierId} event {carrierEvent.EventId} was processed before", shipment.Id, cancellationToken);
            return WebhookOutcomes.Duplicate;
        }

        if (carrierEvent.Milestone is not { } milestone)
        {
            await unit.ExecuteAsync(ShipmentTrail.Row(shipment.Id, eventId, MilestoneName(carrierEvent), EstateSystem.Carrier.ToString(),
                WebhookOutcomes.Recorded, shipment.State.ToString(), null, carrierEvent.Detail, row.CorrelationId, carrierEvent.OccurredAt), cancellationToken);
            await SettleAsync(transaction, row, WebhookOutcomes.Recorded, carrierEvent.Detail, shipment.Id, cancellationToken);
            return WebhookOutcomes.Recorded;
        }

        var applied = await unit.ApplyAsync(shipment.Id, new IncomingMilestone(
            eventId, milestone, EstateSystem.Carrier, row.CorrelationId, carrierEvent.OccurredAt, carrierEvent.Detail,
            carrierEvent.EstimatedDelivery is { } eta ? new MilestoneFacts(EstimatedDeliveryAt: eta) : null), cancellationToken);
        var outcome = applied?.Decision switch
        {
            LifecycleDecision.Applied => WebhookOutcomes.Applied,
            LifecycleDecision.Stale => WebhookOutcomes.Stale,
            _ => WebhookOutcomes.Rejected,
        };
        await SettleAsync(transaction, row, outcome, carrierEvent.Detail, shipment.Id, cancellationToken);
        return outcome;
    }

    /// <summary>No shipment, or one not booked yet: looked at again later (a webhook may overtake the booking), rejected after the last look.</summary>
    private async Task<string?> NotBookedYetAsync(NpgsqlTransaction transaction, InboxRow row, CarrierEvent carrierEvent, Shipment? shipment, CancellationToken cancellationToken)
    {
        var why = shipment is null
            ? $"no shipment has tracking number '{carrierEvent.TrackingNumber}' with {row.CarrierId} or business key '{carrierEvent.Reference}'"
            : $"shipment {shipment.BusinessKey} is not booked with any carrier (it is {shipment.State})";
        if (row.Attempts + 1 < options.CurrentValue.MaxAttempts)
        {
            await LookAgainLaterAsync(transaction, row, why, cancellationToken);
            return null;
        }

        await SettleAsync(transaction, row, WebhookOutcomes.UnknownShipment, $"{why} after {row.Attempts + 1} looks", shipment?.Id, cancellationToken);
        LogRejected(row.CarrierId, row.WebhookId, why);
        return WebhookOutcomes.UnknownShipment;
    }

    /// <summary>The carrier's own event id, once: a resend under a new webhook-id finds it taken.</summary>
    private static async Task<bool> FirstTimeAsync(NpgsqlTransaction transaction, InboxRow row, CarrierEvent carrierEvent, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO carrier_events (carrier_id, event_id, inbox_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = row.CarrierId });
        command.Parameters.Add(new() { Value = carrierEvent.EventId });
        command.Parameters.Add(new() { Value = row.Id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task SettleAsync(NpgsqlTransaction transaction, InboxRow row, string outcome, string detail, Guid? shipmentId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE carrier_webhook_inbox SET processed_at = now(), outcome = $2, outcome_detail = $3, shipment_id = $4, attempts = attempts + 1
            WHERE id = $1
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = outcome });
        command.Parameters.Add(new() { Value = InputRules.Scrub(detail) });
        command.Parameters.Add(new() { Value = (object?)shipmentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task SetAsideAsync(InboxRow row, Exception exception, CancellationToken cancellationToken)
    {
        await using var unit = await transactions.BeginAsync(cancellationToken);
        var reason = $"processing failed: {exception.GetType().Name}: {exception.Message}";
        if (row.Attempts + 1 >= options.CurrentValue.MaxAttempts)
        {
            await SettleAsync(unit.Transaction, row, WebhookOutcomes.Failed, reason, null, cancellationToken);
        }
        else
        {
            await LookAgainLaterAsync(unit.Transaction, row, reason, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
    }

    private async Task LookAgainLaterAsync(NpgsqlTransaction transaction, InboxRow row, string why, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        await using var command = new NpgsqlCommand(
            "UPDATE carrier_webhook_inbox SET attempts = attempts + 1, next_attempt_at = $2, outcome_detail = $3 WHERE id = $1", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = time.GetUtcNow() + Backoff.Delay(row.Attempts + 1, current.RetryDelay, current.MaxRetryDelay, Random.Shared) });
        command.Parameters.Add(new() { Value = InputRules.Scrub($"waiting: {why}") });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The trail's name for it: the canonical milestone's, or the carrier's own status for one that moves nothing.</summary>
    private static string MilestoneName(CarrierEvent carrierEvent) =>
        carrierEvent.Milestone?.EventName() ?? carrierEvent.Status.ToLowerInvariant().Replace('_', '-');

    [LoggerMessage(EventId = LogEventIds.CarrierAdapterRejected, Level = LogLevel.Warning, Message = "Carrier webhook {CarrierId}/{WebhookId} rejected: {Reason}")]
    private partial void LogRejected(string carrierId, string webhookId, string reason);

    [LoggerMessage(EventId = LogEventIds.CarrierAdapterProcessingFailed, Level = LogLevel.Warning, Message = "Processing carrier webhooks failed; trying again")]
    private partial void LogProcessingFailed(Exception exception);
}

/// <summary>Wakes the adapter when this replica stored a webhook, instead of waiting for its next poll.</summary>
internal sealed class CarrierWebhookSignal : WakeSignal;
