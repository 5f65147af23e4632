using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Tracing;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// Applies milestones through the transition table inside a unit of work's transaction, in four steps: lock the
/// shipments (and enter the consumer's inbox), decide each milestone in order, write the decisions with their
/// trail rows, events and reactions in one batch, and read back which exceptions that opened or resolved.
/// Concurrent milestones of one shipment are serialised by the row lock taken before deciding; the version check
/// on update stays as the backstop. Commits nothing: the unit of work does.
/// </summary>
internal sealed class MilestoneApplier(LifecycleReactions reactions, TimeProvider time)
{
    private sealed record PendingMilestone(string ShipmentKey, IncomingMilestone Milestone, TraceContext Trace = default);

    /// <summary>The applier's clock, for milestones the orchestrator makes itself (closure).</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>What the decisions of one call write, and what they found.</summary>
    private sealed class Plan(int count)
    {
        public MilestoneOutcome?[] Outcomes { get; } = new MilestoneOutcome?[count];

        public List<NpgsqlBatchCommand> Writes { get; } = [];

        public List<NpgsqlBatchCommand> Updates { get; } = [];

        public List<Reaction> ExceptionReactions { get; } = [];

        /// <summary>Event ids entered in the inbox whose shipment does not exist (yet).</summary>
        public List<string> Orphans { get; } = [];
    }

    /// <summary>One milestone for the shipment with this id, without an inbox (commands and partner calls dedupe by their event ids).</summary>
    public async Task<(MilestoneOutcome? Outcome, ExceptionChanges Exceptions)> ApplyAsync(
        NpgsqlTransaction transaction, Guid shipmentId, IncomingMilestone milestone, CancellationToken cancellationToken)
    {
        var lockShipment = new NpgsqlBatchCommand($"SELECT {ShipmentReads.Columns} FROM shipments WHERE id = $1 FOR UPDATE")
        {
            Parameters = { new() { Value = shipmentId } },
        };
        var (outcomes, exceptions) = await ApplyLockedAsync(
            transaction, lockShipment, shipment => shipment.Id.ToString(), [new(shipmentId.ToString(), milestone)], inboxConsumer: null, cancellationToken);
        return (outcomes[0], exceptions);
    }

    /// <summary>
    /// Milestones for the shipments their business keys name, deduped through <paramref name="inboxConsumer"/>'s inbox in
    /// the same transaction. Milestones of one shipment apply in list order; null where no shipment has the key (yet).
    /// </summary>
    public async Task<(MilestoneOutcome?[] Outcomes, ExceptionChanges Exceptions)> ApplyBatchAsync(
        NpgsqlTransaction transaction, IReadOnlyList<KeyedMilestone> milestones, string inboxConsumer, CancellationToken cancellationToken)
    {
        var keys = milestones.Select(m => (m.SourceSystem, m.BusinessKey)).Distinct().ToList();
        // In id order, so that batches of other replicas touching the same shipments never deadlock with this one.
        var lockShipments = new NpgsqlBatchCommand($"""
            SELECT {ShipmentReads.Columns} FROM shipments
            WHERE (source_system, business_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            ORDER BY id
            FOR UPDATE
            """)
        {
            Parameters = { new() { Value = keys.Select(k => k.SourceSystem).ToArray() }, new() { Value = keys.Select(k => k.BusinessKey).ToArray() } },
        };
        return await ApplyLockedAsync(
            transaction,
            lockShipments,
            shipment => BusinessKeyOf(shipment.SourceSystem, shipment.BusinessKey),
            [.. milestones.Select(m => new PendingMilestone(BusinessKeyOf(m.SourceSystem, m.BusinessKey), m.Milestone, m.Trace))],
            inboxConsumer,
            cancellationToken);
    }

    private static string BusinessKeyOf(string sourceSystem, string businessKey) => $"{sourceSystem}\u001f{businessKey}";

    private async Task<(MilestoneOutcome?[] Outcomes, ExceptionChanges Exceptions)> ApplyLockedAsync(
        NpgsqlTransaction transaction,
        NpgsqlBatchCommand lockShipments,
        Func<Shipment, string> keyOf,
        IReadOnlyList<PendingMilestone> pending,
        string? inboxConsumer,
        CancellationToken cancellationToken)
    {
        var (current, unseen) = await LockAndEnterInboxAsync(transaction, lockShipments, keyOf, pending, inboxConsumer, cancellationToken);
        var plan = DecideAll(current, unseen, pending);
        if (inboxConsumer is not null && plan.Orphans.Count > 0)
        {
            // No shipment to apply them to: their inbox rows must not make the retry look like a duplicate.
            plan.Writes.Add(new NpgsqlBatchCommand("DELETE FROM inbox WHERE consumer = $1 AND event_id = ANY($2)")
            {
                Parameters = { new() { Value = inboxConsumer }, new() { Value = plan.Orphans.ToArray() } },
            });
        }

        // With no writes (only duplicates) there is nothing to keep: the inbox rows just entered belong to duplicates.
        var exceptions = plan.Writes.Count == 0 ? ExceptionChanges.None : await WriteAsync(transaction, plan, cancellationToken);
        return (plan.Outcomes, exceptions);
    }

    /// <summary>
    /// Locks the shipments for the transaction (a stale or rejected decision is as much a judgement of the current
    /// state as an applied one, and must not be made on a state about to change) and enters the event ids in the
    /// inbox; returns the shipments by key and the event ids not seen before.
    /// </summary>
    private static async Task<(Dictionary<string, Shipment> Current, HashSet<string> Unseen)> LockAndEnterInboxAsync(
        NpgsqlTransaction transaction,
        NpgsqlBatchCommand lockShipments,
        Func<Shipment, string> keyOf,
        IReadOnlyList<PendingMilestone> pending,
        string? inboxConsumer,
        CancellationToken cancellationToken)
    {
        await using var lockAndEnter = new NpgsqlBatch(transaction.Connection, transaction) { BatchCommands = { lockShipments } };
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
        await using var reader = await lockAndEnter.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var shipment = ShipmentReads.Read(reader);
            current[keyOf(shipment)] = shipment;
        }

        if (inboxConsumer is not null && await reader.NextResultAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                unseen.Add(reader.GetString(0));
            }
        }

        return (current, unseen);
    }

    /// <summary>Decides every milestone in list order, each against the state the ones before it left.</summary>
    private Plan DecideAll(Dictionary<string, Shipment> current, HashSet<string> unseen, IReadOnlyList<PendingMilestone> pending)
    {
        var plan = new Plan(pending.Count);
        for (var i = 0; i < pending.Count; i++)
        {
            var (shipmentKey, milestone, trace) = pending[i];
            if (!current.TryGetValue(shipmentKey, out var shipment))
            {
                if (unseen.Remove(milestone.EventId))
                {
                    plan.Orphans.Add(milestone.EventId);
                }

                continue;
            }

            if (!unseen.Remove(milestone.EventId))
            {
                plan.Outcomes[i] = new MilestoneOutcome(shipment, Decision: null);
                continue;
            }

            // The writes this decision adds (outbox rows, partner tasks) take the current trace context: the message's.
            using var activity = trace.TraceParent is null ? null : EstateActivities.StartContinuing("decide milestone", trace);
            var (after, decision) = Decide(shipment, milestone, plan);
            current[shipmentKey] = after;
            plan.Outcomes[i] = new MilestoneOutcome(after, decision);
        }

        return plan;
    }

    /// <summary>
    /// Decides one milestone against the shipment's current state and adds the writes that record it, and those of
    /// its reactions (tasks, exceptions): they exist exactly when the state change does.
    /// </summary>
    private (Shipment After, LifecycleDecision Decision) Decide(Shipment shipment, IncomingMilestone milestone, Plan plan)
    {
        var decision = ShipmentLifecycle.Decide(shipment.State, milestone.Milestone, milestone.Source);
        var after = shipment;
        if (decision is LifecycleDecision.Applied applied)
        {
            after = Transition(shipment, milestone, applied);
            var update = UpdateCommand(shipment, after);
            plan.Updates.Add(update);
            plan.Writes.Add(update);
        }

        plan.Writes.AddRange(ShipmentTrail.Record(after, milestone, shipment.State, decision));
        if (decision is LifecycleDecision.Applied done)
        {
            foreach (var reaction in reactions.For(after, milestone, done))
            {
                plan.Writes.Add(reaction.Command);
                if (reaction.OpensException is not null || reaction.ResolvesException is not null)
                {
                    plan.ExceptionReactions.Add(reaction);
                }
            }
        }

        return (after, decision);
    }

    /// <summary>The shipment after an applied milestone: new state and owner, next version, and what the milestone tells (booking, ETA).</summary>
    private Shipment Transition(Shipment shipment, IncomingMilestone milestone, LifecycleDecision.Applied applied)
    {
        var facts = milestone.Facts;
        return shipment with
        {
            State = applied.To,
            StateOwner = milestone.Source.ToString(),
            Version = shipment.Version + 1,
            UpdatedAt = time.GetUtcNow(),
            CarrierId = facts?.CarrierId ?? shipment.CarrierId,
            BookingReference = facts?.BookingReference ?? shipment.BookingReference,
            TrackingNumber = facts?.TrackingNumber ?? shipment.TrackingNumber,
            EstimatedDeliveryAt = facts?.EstimatedDeliveryAt ?? shipment.EstimatedDeliveryAt,
        };
    }

    private static NpgsqlBatchCommand UpdateCommand(Shipment before, Shipment after) =>
        new("""
            UPDATE shipments SET state = $1, state_owner = $2, version = $3, updated_at = $4,
                carrier_id = $7, booking_reference = $8, tracking_number = $9, estimated_delivery_at = $10
            WHERE id = $5 AND version = $6
            """)
        {
            Parameters =
            {
                new() { Value = after.State.ToString() }, new() { Value = after.StateOwner }, new() { Value = after.Version },
                new() { Value = after.UpdatedAt }, new() { Value = before.Id }, new() { Value = before.Version },
                Nullable(after.CarrierId), Nullable(after.BookingReference), Nullable(after.TrackingNumber),
                new() { Value = (object?)after.EstimatedDeliveryAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            },
        };

    private static NpgsqlParameter Nullable(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>Runs the plan's writes as one batch; returns the exceptions its reactions really opened or resolved.</summary>
    private static async Task<ExceptionChanges> WriteAsync(NpgsqlTransaction transaction, Plan plan, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        plan.Writes.ForEach(batch.BatchCommands.Add);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        if (plan.Updates.Any(update => update.RecordsAffected != 1))
        {
            // Cannot happen under the row locks; if it ever does, nothing of this transaction may stand.
            throw new System.Data.DBConcurrencyException("A shipment changed under its row lock while applying milestones.");
        }

        // Read while the batch is alive: an exception already open (or none open to resolve) affected no row.
        var took = plan.ExceptionReactions.Where(reaction => reaction.Command.RecordsAffected == 1).ToList();
        return new ExceptionChanges(
            [.. took.Select(reaction => reaction.OpensException).OfType<string>()],
            [.. took.Where(reaction => reaction.OpensException is null).Select(reaction => reaction.ResolvesException).OfType<string>()]);
    }
}
