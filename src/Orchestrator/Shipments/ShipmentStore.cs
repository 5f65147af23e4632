using System.Diagnostics.Metrics;
using System.Text.Json;
using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Outbox;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// Shipments in PostgreSQL. Every change is one transaction holding the state change, its trail
/// rows and its outbox events. Concurrent milestones of one shipment are serialised by a row lock
/// taken before deciding; the version check on update stays as the backstop (a lost race re-reads
/// and decides again).
/// </summary>
internal sealed class ShipmentStore(
    NpgsqlDataSource dataSource,
    OutboxSignal outboxSignal,
    LifecycleReactions reactions,
    ExceptionMetrics exceptionMetrics,
    TimeProvider time,
    IMeterFactory meterFactory)
{
    /// <summary>What a release writes; the booking columns stay null until a carrier is booked.</summary>
    private const string ReleaseColumns =
        "id, source_system, business_key, state, state_owner, version, correlation_id, release, request_fingerprint, created_at, updated_at";

    private const string ShipmentColumns = ReleaseColumns + ", carrier_id, booking_reference, tracking_number, estimated_delivery_at";

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
        Shipment? shipment;
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO shipments ({ReleaseColumns})
            VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $9)
            ON CONFLICT ON CONSTRAINT shipments_business_key_unique DO NOTHING
            RETURNING {ShipmentColumns}
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
            shipment = await ReadSingleAsync(insert, cancellationToken);
            if (shipment is null)
            {
                // Same business key: a retry of this command (same fingerprint) or a conflicting one.
                await transaction.RollbackAsync(cancellationToken);
                var existing = await FindByBusinessKeyAsync(sourceSystem, request.BusinessKey!, cancellationToken)
                    ?? throw new InvalidOperationException($"Shipment {sourceSystem}/{request.BusinessKey} conflicted but cannot be read.");
                return new ReleaseOutcome(existing, Created: false, SameRequest: existing.RequestFingerprint == fingerprint);
            }
        }

        var release = new IncomingMilestone(id.ToString(), ShipmentMilestone.Released, SourceSystem.Erp, correlationId, now);
        await using var recorded = await ExecuteAsync(connection, transaction, RecordCommands(shipment, release, ShipmentState.Planned.ToString(), applied), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        _milestones.Add(1, new KeyValuePair<string, object?>("outcome", TrailOutcomes.Applied));
        return new ReleaseOutcome(shipment, Created: true, SameRequest: true);
    }

    /// <summary>
    /// Applies one milestone through the transition table. Whatever the decision (applied, stale,
    /// rejected), it is recorded in the trail; only an applied one changes state and emits an event.
    /// </summary>
    public async Task<MilestoneOutcome?> ApplyAsync(Guid shipmentId, IncomingMilestone milestone, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var outcome = await ApplyInTransactionAsync(transaction, shipmentId, milestone, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Committed(outcome);
        return outcome.Outcome;
    }

    /// <summary>
    /// Applies one milestone inside the caller's transaction, so the caller's own writes (a task done, a
    /// tender answered, an exception resolved) commit with it or not at all. The caller commits, then
    /// hands the result to <see cref="Committed"/> for the metrics and the outbox wake-up.
    /// </summary>
    public async Task<AppliedInTransaction> ApplyInTransactionAsync(NpgsqlTransaction transaction, Guid shipmentId, IncomingMilestone milestone, CancellationToken cancellationToken)
    {
        var lockShipment = new NpgsqlBatchCommand($"SELECT {ShipmentColumns} FROM shipments WHERE id = $1 FOR UPDATE")
        {
            Parameters = { new() { Value = shipmentId } },
        };
        var (outcomes, exceptions) = await ApplyLockedAsync(transaction, lockShipment, shipment => shipment.Id.ToString(), [new(shipmentId.ToString(), milestone)], inboxConsumer: null, cancellationToken);
        return new AppliedInTransaction(outcomes[0], exceptions);
    }

    /// <summary>After the caller's transaction committed: counts what it did and wakes the outbox dispatcher.</summary>
    public void Committed(AppliedInTransaction applied)
    {
        Count([applied.Outcome]);
        Count(applied.Exceptions);
    }

    /// <summary>
    /// Applies milestones from the broker, many in one transaction: three round trips (lock and
    /// inbox, write, commit) and one commit flush for the lot instead of for each. The consumer's
    /// inbox dedupes every event id in the same transaction as the change, so a redelivery after a
    /// crash between commit and ack has no effect. Milestones of one shipment apply in list order.
    /// </summary>
    /// <returns>One outcome per milestone, in order; null where no shipment has the business key (yet).</returns>
    public async Task<IReadOnlyList<MilestoneOutcome?>> ApplyBatchAsync(IReadOnlyList<KeyedMilestone> milestones, string inboxConsumer, CancellationToken cancellationToken)
    {
        var keys = milestones.Select(m => (m.SourceSystem, m.BusinessKey)).Distinct().ToList();
        // In id order, so that batches of other replicas touching the same shipments never deadlock with this one.
        var lockShipments = new NpgsqlBatchCommand($"""
            SELECT {ShipmentColumns} FROM shipments
            WHERE (source_system, business_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            ORDER BY id
            FOR UPDATE
            """)
        {
            Parameters = { new() { Value = keys.Select(k => k.SourceSystem).ToArray() }, new() { Value = keys.Select(k => k.BusinessKey).ToArray() } },
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (outcomes, exceptions) = await ApplyLockedAsync(
            transaction,
            lockShipments,
            shipment => BusinessKeyOf(shipment.SourceSystem, shipment.BusinessKey),
            [.. milestones.Select(m => new PendingMilestone(BusinessKeyOf(m.SourceSystem, m.BusinessKey), m.Milestone))],
            inboxConsumer,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Count(outcomes);
        Count(exceptions);
        return outcomes;
    }

    private static string BusinessKeyOf(string sourceSystem, string businessKey) => $"{sourceSystem}\u001f{businessKey}";

    private sealed record PendingMilestone(string ShipmentKey, IncomingMilestone Milestone);

    /// <summary>Decides and writes inside <paramref name="transaction"/>; commits nothing (an unchanged transaction is harmless to commit).</summary>
    private async Task<(MilestoneOutcome?[] Outcomes, ExceptionChanges Exceptions)> ApplyLockedAsync(
        NpgsqlTransaction transaction,
        NpgsqlBatchCommand lockShipments,
        Func<Shipment, string> keyOf,
        IReadOnlyList<PendingMilestone> pending,
        string? inboxConsumer,
        CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;

        // Locked for the transaction: a stale or rejected decision is as much a judgement of the
        // current state as an applied one, and must not be made on a state about to change.
        await using var lockAndEnter = new NpgsqlBatch(connection, transaction) { BatchCommands = { lockShipments } };
        var eventIds = pending.Select(p => p.Milestone.EventId).Distinct().ToArray();
        if (inboxConsumer is not null)
        {
            lockAndEnter.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id")
            {
                Parameters = { new() { Value = inboxConsumer }, new() { Value = eventIds } },
            });
        }

        var current = new Dictionary<string, Shipment>();
        var unseen = new HashSet<string>(inboxConsumer is null ? eventIds : []);
        await using (var reader = await lockAndEnter.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var shipment = ReadShipment(reader);
                current[keyOf(shipment)] = shipment;
            }

            if (inboxConsumer is not null && await reader.NextResultAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    unseen.Add(reader.GetString(0));
                }
            }
        }

        var outcomes = new MilestoneOutcome?[pending.Count];
        var writes = new List<NpgsqlBatchCommand>();
        var updates = new List<NpgsqlBatchCommand>();
        var exceptionChanges = new List<(NpgsqlBatchCommand Command, Reaction Reaction)>();
        var orphans = new List<string>();
        for (var i = 0; i < pending.Count; i++)
        {
            var (shipmentKey, milestone) = pending[i];
            if (!current.TryGetValue(shipmentKey, out var shipment))
            {
                if (unseen.Remove(milestone.EventId))
                {
                    // No shipment to apply it to: its inbox row must not make the retry look like a duplicate.
                    orphans.Add(milestone.EventId);
                }

                continue;
            }

            if (!unseen.Remove(milestone.EventId))
            {
                outcomes[i] = new MilestoneOutcome(shipment, Decision: null);
                continue;
            }

            var (after, decision, update) = Decide(shipment, milestone, writes, exceptionChanges);
            if (update is not null)
            {
                updates.Add(update);
            }

            current[shipmentKey] = after;
            outcomes[i] = new MilestoneOutcome(after, decision);
        }

        var opened = new List<string>();
        var resolved = new List<string>();
        // With no writes (only duplicates, or only milestones without a shipment) there is nothing to keep:
        // the inbox rows just entered are the only change, and they belong to duplicates or orphans.
        if (writes.Count > 0)
        {
            if (orphans.Count > 0)
            {
                writes.Add(new NpgsqlBatchCommand("DELETE FROM inbox WHERE consumer = $1 AND event_id = ANY($2)")
                {
                    Parameters = { new() { Value = inboxConsumer! }, new() { Value = orphans.ToArray() } },
                });
            }

            await using (await ExecuteAsync(connection, transaction, writes, cancellationToken))
            {
                if (updates.Any(update => update.RecordsAffected != 1))
                {
                    // Cannot happen under the row locks; if it ever does, nothing of this transaction may stand.
                    throw new System.Data.DBConcurrencyException("A shipment changed under its row lock while applying milestones.");
                }

                // Read while the batch is alive: an exception already open (or none open to resolve) affected no row.
                foreach (var (command, reaction) in exceptionChanges.Where(c => c.Command.RecordsAffected == 1))
                {
                    if (reaction.OpensException is { } openedType)
                    {
                        opened.Add(openedType);
                    }
                    else if (reaction.ResolvesException is { } resolvedType)
                    {
                        resolved.Add(resolvedType);
                    }
                }
            }
        }
        else if (inboxConsumer is not null && orphans.Count > 0)
        {
            // Only orphans: their inbox rows must go, or the retry would look like a duplicate.
            await using var forget = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("DELETE FROM inbox WHERE consumer = $1 AND event_id = ANY($2)")
                    {
                        Parameters = { new() { Value = inboxConsumer }, new() { Value = orphans.ToArray() } },
                    },
                },
            };
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        return (outcomes, new ExceptionChanges(opened, resolved));
    }

    /// <summary>
    /// Decides one milestone against the shipment's current state and adds the writes that record it, and
    /// those of its reactions (tasks, exceptions): they exist exactly when the state change does.
    /// </summary>
    private (Shipment After, LifecycleDecision Decision, NpgsqlBatchCommand? Update) Decide(
        Shipment shipment, IncomingMilestone milestone, List<NpgsqlBatchCommand> writes, List<(NpgsqlBatchCommand Command, Reaction Reaction)> exceptionChanges)
    {
        var decision = ShipmentLifecycle.Decide(Enum.Parse<ShipmentState>(shipment.State), milestone.Milestone, milestone.Source);
        var after = shipment;
        NpgsqlBatchCommand? update = null;
        if (decision is LifecycleDecision.Applied applied)
        {
            var facts = milestone.Facts;
            after = shipment with
            {
                State = applied.To.ToString(),
                StateOwner = milestone.Source.ToString(),
                Version = shipment.Version + 1,
                UpdatedAt = time.GetUtcNow(),
                CarrierId = facts?.CarrierId ?? shipment.CarrierId,
                BookingReference = facts?.BookingReference ?? shipment.BookingReference,
                TrackingNumber = facts?.TrackingNumber ?? shipment.TrackingNumber,
                EstimatedDeliveryAt = facts?.EstimatedDeliveryAt ?? shipment.EstimatedDeliveryAt,
            };
            update = new NpgsqlBatchCommand("""
                UPDATE shipments SET state = $1, state_owner = $2, version = $3, updated_at = $4,
                    carrier_id = $7, booking_reference = $8, tracking_number = $9, estimated_delivery_at = $10
                WHERE id = $5 AND version = $6
                """)
            {
                Parameters =
                {
                    new() { Value = after.State }, new() { Value = after.StateOwner }, new() { Value = after.Version },
                    new() { Value = after.UpdatedAt }, new() { Value = shipment.Id }, new() { Value = shipment.Version },
                    Nullable(after.CarrierId), Nullable(after.BookingReference), Nullable(after.TrackingNumber),
                    new() { Value = (object?)after.EstimatedDeliveryAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                },
            };
            writes.Add(update);
        }

        writes.AddRange(RecordCommands(after, milestone, shipment.State, decision));
        if (decision is LifecycleDecision.Applied done)
        {
            foreach (var reaction in reactions.For(after, milestone, done))
            {
                writes.Add(reaction.Command);
                if (reaction.OpensException is not null || reaction.ResolvesException is not null)
                {
                    exceptionChanges.Add((reaction.Command, reaction));
                }
            }
        }

        return (after, decision, update);
    }

    private static NpgsqlParameter Nullable(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

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

    /// <summary>Trail rows for the milestone (and for milestones a forward jump skipped), and the event of an applied one.</summary>
    private static IEnumerable<NpgsqlBatchCommand> RecordCommands(Shipment shipment, IncomingMilestone milestone, string fromState, LifecycleDecision decision)
    {
        if (decision is LifecycleDecision.Applied { Skipped.Count: > 0 } jump)
        {
            foreach (var skipped in jump.Skipped)
            {
                yield return TrailCommand(shipment.Id, milestone with { Milestone = skipped }, TrailOutcomes.Skipped,
                    fromState, null, $"skipped: {milestone.Milestone.EventName()} arrived first");
            }
        }

        var (outcome, toState, detail) = decision switch
        {
            LifecycleDecision.Applied applied => (TrailOutcomes.Applied, applied.To.ToString(), milestone.Detail),
            LifecycleDecision.Stale => (TrailOutcomes.Stale, null, "late or repeated milestone: state not moved backwards"),
            LifecycleDecision.Rejected rejected => (TrailOutcomes.Rejected(rejected.Reason), null, Describe(rejected, fromState, milestone)),
            _ => throw new InvalidOperationException($"Unknown decision {decision}."),
        };
        yield return TrailCommand(shipment.Id, milestone, outcome, fromState, toState, detail);

        if (decision is LifecycleDecision.Applied done)
        {
            var data = new ShipmentMilestoneEvent(
                shipment.Id, shipment.BusinessKey, shipment.SourceSystem, milestone.Milestone.EventName(), milestone.Source.ToString(),
                fromState, done.To.ToString(), [.. done.Skipped.Select(s => s.EventName())], shipment.Version, milestone.OccurredAt);
            yield return OutboxWriter.Command(CanonicalEvents.Create(shipment.Id, milestone.Milestone.CloudEventType(), shipment.BusinessKey,
                milestone.CorrelationId, milestone.OccurredAt, data));
        }
    }

    private static async Task<NpgsqlBatch> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch;
    }

    internal static string Describe(LifecycleDecision.Rejected rejected, string fromState, IncomingMilestone milestone) => rejected.Reason switch
    {
        RejectionReason.NotOwner => $"governance violation: {milestone.Source} does not own '{milestone.Milestone.EventName()}' from {fromState}",
        _ => $"'{milestone.Milestone.EventName()}' is not a transition from {fromState}",
    };

    private static NpgsqlBatchCommand TrailCommand(Guid shipmentId, IncomingMilestone milestone, string outcome, string? fromState, string? toState, string? detail) =>
        TrailRow(shipmentId, milestone.EventId, milestone.Milestone.EventName(), milestone.Source.ToString(), outcome, fromState, toState, detail,
            milestone.CorrelationId, milestone.OccurredAt);

    /// <summary>A trail row for something that is no milestone of the lifecycle (a carrier's label created) or that never reached it (a rejected webhook).</summary>
    public static NpgsqlBatchCommand TrailRow(
        Guid shipmentId, string eventId, string milestone, string source, string outcome, string? fromState, string? toState, string? detail,
        string correlationId, DateTimeOffset occurredAt) =>
        new("""
            INSERT INTO shipment_events (shipment_id, event_id, milestone, source_system, outcome, from_state, to_state, detail, correlation_id, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """)
        {
            Parameters =
            {
                new() { Value = shipmentId },
                new() { Value = eventId },
                new() { Value = milestone },
                new() { Value = source },
                new() { Value = outcome },
                new() { Value = (object?)fromState ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)toState ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = correlationId },
                new() { Value = occurredAt },
            },
        };

    /// <summary>
    /// The shipment a carrier's webhook is about, in the caller's transaction: by the carrier's tracking number
    /// once booked, else by the business key it echoes (a webhook may overtake the booking's commit).
    /// </summary>
    public static async Task<Shipment?> FindForCarrierAsync(NpgsqlTransaction transaction, string carrierId, string? trackingNumber, string? businessKey, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT {ShipmentColumns} FROM shipments
            WHERE (carrier_id = $1 AND tracking_number = $2) OR (source_system = $3 AND business_key = $4)
            ORDER BY (carrier_id = $1 AND tracking_number = $2) DESC NULLS LAST
            LIMIT 1
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = carrierId });
        command.Parameters.Add(new() { Value = (object?)trackingNumber ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = ReleaseShipmentValidation.DefaultSourceSystem });
        command.Parameters.Add(new() { Value = (object?)businessKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>A governance violation found outside the transition table (a carrier reporting on another carrier's shipment).</summary>
    public void CountGovernanceViolation() => _governanceViolations.Add(1);

    private static async Task<Shipment?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {ShipmentColumns} FROM shipments WHERE id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = id });
        return await ReadSingleAsync(command, cancellationToken);
    }

    private static async Task<Shipment?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadShipment(reader) : null;
    }

    private static Shipment ReadShipment(NpgsqlDataReader reader) =>
        new(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
            reader.GetString(6), JsonSerializer.Deserialize<JsonElement>(reader.GetString(7)), reader.GetString(8),
            reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10))
        {
            CarrierId = reader.IsDBNull(11) ? null : reader.GetString(11),
            BookingReference = reader.IsDBNull(12) ? null : reader.GetString(12),
            TrackingNumber = reader.IsDBNull(13) ? null : reader.GetString(13),
            EstimatedDeliveryAt = reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
        };

    private void Count(ExceptionChanges exceptions)
    {
        exceptionMetrics.Opened(exceptions.Opened);
        foreach (var type in exceptions.Resolved)
        {
            exceptionMetrics.Resolved(type, automatically: true);
        }
    }

    private void Count(IEnumerable<MilestoneOutcome?> outcomes)
    {
        var applied = false;
        foreach (var outcome in outcomes.OfType<MilestoneOutcome>())
        {

            var label = outcome.Decision switch
            {
                null => TrailOutcomes.Duplicate,
                LifecycleDecision.Applied => TrailOutcomes.Applied,
                LifecycleDecision.Stale => TrailOutcomes.Stale,
                LifecycleDecision.Rejected rejected => TrailOutcomes.Rejected(rejected.Reason),
                _ => "unknown",
            };
            applied |= outcome.Decision is LifecycleDecision.Applied;
            _milestones.Add(1, new KeyValuePair<string, object?>("outcome", label));
            if (outcome.Decision is LifecycleDecision.Rejected { Reason: RejectionReason.NotOwner })
            {
                _governanceViolations.Add(1);
            }
        }

        if (applied)
        {
            outboxSignal.Notify();
        }
    }
}
