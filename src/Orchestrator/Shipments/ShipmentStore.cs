using System.Diagnostics.Metrics;
using System.Text.Json;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Outbox;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>What a release command found: a new shipment, or the one its business key already names.</summary>
internal sealed record ReleaseOutcome(Shipment Shipment, bool Created, bool SameRequest);

/// <summary>What applying one milestone did to a shipment; no decision when the inbox had seen the event already.</summary>
internal sealed record MilestoneOutcome(Shipment Shipment, LifecycleDecision? Decision)
{
    public bool IsDuplicateDelivery => Decision is null;
}

/// <summary>
/// Shipments in PostgreSQL. Every change is one transaction holding the state change, its trail
/// rows and its outbox events. Concurrent milestones of one shipment are serialised by a row lock
/// taken before deciding; the version check on update stays as the backstop (a lost race re-reads
/// and decides again).
/// </summary>
internal sealed partial class ShipmentStore(
    NpgsqlDataSource dataSource,
    OutboxSignal outboxSignal,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<ShipmentStore> logger)
{
    private const string ShipmentColumns =
        "id, source_system, business_key, state, state_owner, version, correlation_id, release, request_fingerprint, created_at, updated_at";

    private const int MaxConcurrencyRetries = 10;

    private readonly Counter<long> _milestones = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.milestones", description: "Milestones received, by outcome");

    private readonly Counter<long> _governanceViolations = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.governance_violations", description: "Milestones from a system that does not own the transition");

    /// <summary>Creates the shipment in <c>Released</c>, or finds the one its business key names (the durable idempotency backstop).</summary>
    public async Task<ReleaseOutcome> ReleaseAsync(ReleaseShipmentRequest request, string fingerprint, string correlationId, CancellationToken cancellationToken)
    {
        var sourceSystem = request.SourceSystem ?? ReleaseShipmentValidation.DefaultSourceSystem;
        var now = time.GetUtcNow();
        var decision = ShipmentLifecycle.Decide(ShipmentState.Planned, ShipmentMilestone.Released, SourceSystem.Erp);
        if (decision is not LifecycleDecision.Applied applied)
        {
            throw new InvalidOperationException($"The transition table does not allow a release from {ShipmentState.Planned}: {decision}.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = Guid.CreateVersion7(now);
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO shipments ({ShipmentColumns})
            VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $9)
            ON CONFLICT ON CONSTRAINT shipments_business_key_unique DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = sourceSystem });
            insert.Parameters.Add(new() { Value = request.BusinessKey! });
            insert.Parameters.Add(new() { Value = applied.To.ToString() });
            insert.Parameters.Add(new() { Value = SourceSystem.Erp.ToString() });
            insert.Parameters.Add(new() { Value = correlationId });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(request, JsonSerializerOptions.Web), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = fingerprint });
            insert.Parameters.Add(new() { Value = now });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // Same business key: a retry of this command (same fingerprint) or a conflicting one.
                await transaction.RollbackAsync(cancellationToken);
                var existing = await FindByBusinessKeyAsync(sourceSystem, request.BusinessKey!, cancellationToken)
                    ?? throw new InvalidOperationException($"Shipment {sourceSystem}/{request.BusinessKey} conflicted but cannot be read.");
                return new ReleaseOutcome(existing, Created: false, SameRequest: existing.RequestFingerprint == fingerprint);
            }
        }

        var shipment = await ReadAsync(connection, transaction, id, cancellationToken)
            ?? throw new InvalidOperationException($"Shipment {id} vanished inside its own transaction.");
        await RecordAsync(connection, transaction, shipment, new IncomingMilestone(id.ToString(), ShipmentMilestone.Released, SourceSystem.Erp, correlationId, now),
            ShipmentState.Planned.ToString(), applied, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        _milestones.Add(1, new KeyValuePair<string, object?>("outcome", TrailOutcomes.Applied));
        return new ReleaseOutcome(shipment, Created: true, SameRequest: true);
    }

    /// <summary>
    /// Applies one milestone through the transition table. Whatever the decision (applied, stale,
    /// rejected), it is recorded in the trail; only an applied one changes state and emits an event.
    /// </summary>
    /// <param name="inboxConsumer">
    /// For milestones from the broker: the consumer whose inbox dedupes the event id, in the same
    /// transaction as the change, so a redelivery after a crash between commit and ack has no effect.
    /// </param>
    public async Task<MilestoneOutcome?> ApplyAsync(Guid shipmentId, IncomingMilestone milestone, CancellationToken cancellationToken, string? inboxConsumer = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Locked for the transaction: a stale or rejected decision is as much a judgement of the
            // current state as an applied one, and must not be made on a state about to change.
            var shipment = await ReadAsync(connection, transaction, shipmentId, cancellationToken, forUpdate: true);
            if (shipment is null)
            {
                return null;
            }

            if (inboxConsumer is not null && !await TryEnterInboxAsync(connection, transaction, inboxConsumer, milestone.EventId, cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                _milestones.Add(1, new KeyValuePair<string, object?>("outcome", TrailOutcomes.Duplicate));
                return new MilestoneOutcome(shipment, Decision: null);
            }

            var decision = ShipmentLifecycle.Decide(Enum.Parse<ShipmentState>(shipment.State), milestone.Milestone, milestone.Source);
            var after = shipment;
            if (decision is LifecycleDecision.Applied applied)
            {
                after = await TryMoveAsync(connection, transaction, shipment, applied.To, milestone, cancellationToken);
                if (after is null)
                {
                    // Another replica changed the shipment since we read it: decide again on its new state.
                    await transaction.RollbackAsync(cancellationToken);
                    if (attempt >= MaxConcurrencyRetries)
                    {
                        throw new System.Data.DBConcurrencyException($"Shipment {shipmentId} kept changing under {MaxConcurrencyRetries} attempts to apply {milestone.Milestone}.");
                    }

                    LogConcurrencyRetry(shipmentId, attempt);
                    continue;
                }
            }

            await RecordAsync(connection, transaction, after, milestone, shipment.State, decision, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (decision is LifecycleDecision.Applied)
            {
                outboxSignal.Notify();
            }

            Count(decision);
            return new MilestoneOutcome(after, decision);
        }
    }

    public async Task<Shipment?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, id, cancellationToken);
    }

    public async Task<Shipment?> FindByBusinessKeyAsync(string sourceSystem, string businessKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {ShipmentColumns} FROM shipments WHERE source_system = $1 AND business_key = $2");
        command.Parameters.Add(new() { Value = sourceSystem });
        command.Parameters.Add(new() { Value = businessKey });
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TrailEntry>> TimelineAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT sequence, event_id, milestone, source_system, outcome, from_state, to_state, detail, correlation_id, occurred_at, recorded_at
            FROM shipment_events WHERE shipment_id = $1 ORDER BY sequence
            """);
        command.Parameters.Add(new() { Value = id });
        var entries = new List<TrailEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new TrailEntry(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return entries;
    }

    private static async Task<bool> TryEnterInboxAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string consumer, string eventId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction);
        command.Parameters.Add(new() { Value = consumer });
        command.Parameters.Add(new() { Value = eventId });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<Shipment?> TryMoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Shipment shipment, ShipmentState to, IncomingMilestone milestone, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand($"""
            UPDATE shipments SET state = $1, state_owner = $2, version = version + 1, updated_at = $3
            WHERE id = $4 AND version = $5
            RETURNING {ShipmentColumns}
            """, connection, transaction);
        update.Parameters.Add(new() { Value = to.ToString() });
        update.Parameters.Add(new() { Value = milestone.Source.ToString() });
        update.Parameters.Add(new() { Value = time.GetUtcNow() });
        update.Parameters.Add(new() { Value = shipment.Id });
        update.Parameters.Add(new() { Value = shipment.Version });
        return await ReadSingleAsync(update, cancellationToken);
    }

    /// <summary>Trail rows for the milestone (and for milestones a forward jump skipped), and the event of an applied one.</summary>
    private static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Shipment shipment, IncomingMilestone milestone,
        string fromState, LifecycleDecision decision, CancellationToken cancellationToken)
    {
        if (decision is LifecycleDecision.Applied { Skipped.Count: > 0 } jump)
        {
            foreach (var skipped in jump.Skipped)
            {
                await AppendTrailAsync(connection, transaction, shipment.Id, milestone with { Milestone = skipped }, TrailOutcomes.Skipped,
                    fromState, null, $"skipped: {milestone.Milestone.EventName()} arrived first", cancellationToken);
            }
        }

        var (outcome, toState, detail) = decision switch
        {
            LifecycleDecision.Applied applied => (TrailOutcomes.Applied, applied.To.ToString(), (string?)null),
            LifecycleDecision.Stale => (TrailOutcomes.Stale, null, "late or repeated milestone: state not moved backwards"),
            LifecycleDecision.Rejected rejected => (TrailOutcomes.Rejected(rejected.Reason), null, Describe(rejected, fromState, milestone)),
            _ => throw new InvalidOperationException($"Unknown decision {decision}."),
        };
        await AppendTrailAsync(connection, transaction, shipment.Id, milestone, outcome, fromState, toState, detail, cancellationToken);

        if (decision is LifecycleDecision.Applied done)
        {
            var data = new ShipmentMilestoneEvent(
                shipment.Id, shipment.BusinessKey, shipment.SourceSystem, milestone.Milestone.EventName(), milestone.Source.ToString(),
                fromState, done.To.ToString(), [.. done.Skipped.Select(s => s.EventName())], shipment.Version, milestone.OccurredAt);
            var outgoing = CanonicalEvents.Create(shipment.Id, milestone.Milestone.CloudEventType(), shipment.BusinessKey,
                milestone.CorrelationId, milestone.OccurredAt, data);
            await OutboxWriter.AddAsync(connection, transaction, outgoing, cancellationToken);
        }
    }

    internal static string Describe(LifecycleDecision.Rejected rejected, string fromState, IncomingMilestone milestone) => rejected.Reason switch
    {
        RejectionReason.NotOwner => $"governance violation: {milestone.Source} does not own '{milestone.Milestone.EventName()}' from {fromState}",
        _ => $"'{milestone.Milestone.EventName()}' is not a transition from {fromState}",
    };

    private static async Task AppendTrailAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid shipmentId, IncomingMilestone milestone,
        string outcome, string? fromState, string? toState, string? detail, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO shipment_events (shipment_id, event_id, milestone, source_system, outcome, from_state, to_state, detail, correlation_id, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = shipmentId });
        command.Parameters.Add(new() { Value = milestone.EventId });
        command.Parameters.Add(new() { Value = milestone.Milestone.EventName() });
        command.Parameters.Add(new() { Value = milestone.Source.ToString() });
        command.Parameters.Add(new() { Value = outcome });
        command.Parameters.Add(new() { Value = (object?)fromState ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)toState ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = milestone.CorrelationId });
        command.Parameters.Add(new() { Value = milestone.OccurredAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Shipment?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, CancellationToken cancellationToken, bool forUpdate = false)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {ShipmentColumns} FROM shipments WHERE id = $1{(forUpdate ? " FOR UPDATE" : "")}", connection, transaction);
        command.Parameters.Add(new() { Value = id });
        return await ReadSingleAsync(command, cancellationToken);
    }

    private static async Task<Shipment?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Shipment(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
            reader.GetString(6), JsonSerializer.Deserialize<JsonElement>(reader.GetString(7)), reader.GetString(8),
            reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10));
    }

    private void Count(LifecycleDecision decision)
    {
        var outcome = decision switch
        {
            LifecycleDecision.Applied => TrailOutcomes.Applied,
            LifecycleDecision.Stale => TrailOutcomes.Stale,
            LifecycleDecision.Rejected rejected => TrailOutcomes.Rejected(rejected.Reason),
            _ => "unknown",
        };
        _milestones.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (decision is LifecycleDecision.Rejected { Reason: RejectionReason.NotOwner })
        {
            _governanceViolations.Add(1);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Shipment {ShipmentId} changed concurrently; deciding again (attempt {Attempt})")]
    private partial void LogConcurrencyRetry(Guid shipmentId, int attempt);
}

/// <summary>A milestone as it arrives, from a command or a consumer.</summary>
internal sealed record IncomingMilestone(string EventId, ShipmentMilestone Milestone, SourceSystem Source, string CorrelationId, DateTimeOffset OccurredAt);

/// <summary>The data of every canonical shipment event.</summary>
public sealed record ShipmentMilestoneEvent(
    Guid ShipmentId,
    string BusinessKey,
    string SourceSystem,
    string Milestone,
    string ReportedBy,
    string FromState,
    string ToState,
    IReadOnlyList<string> Skipped,
    int Version,
    DateTimeOffset OccurredAt);

/// <summary>The outcome column of the trail.</summary>
internal static class TrailOutcomes
{
    public const string Applied = "applied";
    public const string Skipped = "skipped";
    public const string Stale = "stale";
    public const string Duplicate = "duplicate";

    public static string Rejected(RejectionReason reason) => reason == RejectionReason.NotOwner ? "rejected-not-owner" : "rejected-illegal";
}
