using System.Text.Json;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// The shipment commands and the consumer's milestones, each one <see cref="ShipmentUnitOfWork"/>: the state change,
/// its trail rows, its outbox events and its reactions commit together or not at all.
/// </summary>
internal sealed class ShipmentWriter(ShipmentTransactions transactions, ShipmentReads reads, LifecycleReactions reactions, TimeProvider time)
{
    /// <summary>Creates the shipment in <c>Released</c>, or finds the one its business key names (the durable idempotency backstop).</summary>
    public async Task<ReleaseOutcome> ReleaseAsync(ReleaseShipmentRequest request, string fingerprint, string correlationId, CancellationToken cancellationToken)
    {
        var sourceSystem = request.SourceSystem ?? ReleaseShipmentValidation.DefaultSourceSystem;
        var now = time.GetUtcNow();
        var decision = ShipmentLifecycle.Decide(ShipmentState.Planned, ShipmentMilestone.Released, EstateSystem.Erp);
        if (decision is not LifecycleDecision.Applied applied)
        {
            throw new InvalidOperationException($"The transition table does not allow a release from {ShipmentState.Planned}: {decision}.");
        }

        await using var unit = await transactions.BeginAsync(cancellationToken);
        var id = Guid.CreateVersion7(now);
        var shipment = await InsertAsync(unit.Transaction, id, sourceSystem, request, applied.To, fingerprint, correlationId, now, cancellationToken);
        if (shipment is null)
        {
            // Same business key: a retry of this command (same fingerprint) or a conflicting one.
            await unit.RollbackAsync(cancellationToken);
            var existing = await reads.FindByBusinessKeyAsync(sourceSystem, request.BusinessKey!, cancellationToken)
                ?? throw new InvalidOperationException($"Shipment {sourceSystem}/{request.BusinessKey} conflicted but cannot be read.");
            return new ReleaseOutcome(existing, Created: false, SameRequest: existing.RequestFingerprint == fingerprint);
        }

        var release = new IncomingMilestone(id.ToString(), ShipmentMilestone.Released, EstateSystem.Erp, correlationId, now);
        // The release's reactions (its timers) commit with it, as every applied milestone's do.
        await unit.ExecuteAsync(
            ShipmentTrail.Record(shipment, release, ShipmentState.Planned, applied).Concat(reactions.For(shipment, release, applied).Select(r => r.Command)),
            cancellationToken);
        unit.Recorded([new MilestoneOutcome(shipment, applied)], ExceptionChanges.None);
        await unit.CommitAsync(cancellationToken);
        return new ReleaseOutcome(shipment, Created: true, SameRequest: true);
    }

    /// <summary>
    /// Applies one milestone through the transition table. Whatever the decision (applied, stale,
    /// rejected), it is recorded in the trail; only an applied one changes state and emits an event.
    /// </summary>
    public Task<MilestoneOutcome?> ApplyAsync(Guid shipmentId, IncomingMilestone milestone, CancellationToken cancellationToken) =>
        transactions.RunAsync(unit => unit.ApplyAsync(shipmentId, milestone, cancellationToken), cancellationToken);

    /// <summary>
    /// Applies milestones from the broker, many in one transaction: three round trips (lock and
    /// inbox, write, commit) and one commit flush for the lot instead of for each. The consumer's
    /// inbox dedupes every event id in the same transaction as the change, so a redelivery after a
    /// crash between commit and ack has no effect. Milestones of one shipment apply in list order.
    /// </summary>
    /// <returns>One outcome per milestone, in order; null where no shipment has the business key (yet).</returns>
    public Task<IReadOnlyList<MilestoneOutcome?>> ApplyBatchAsync(IReadOnlyList<KeyedMilestone> milestones, string inboxConsumer, CancellationToken cancellationToken) =>
        transactions.RunAsync(unit => unit.ApplyBatchAsync(milestones, inboxConsumer, cancellationToken), cancellationToken);

    /// <summary>The new shipment's row; null when its business key exists already.</summary>
    private static async Task<Shipment?> InsertAsync(
        NpgsqlTransaction transaction, Guid id, string sourceSystem, ReleaseShipmentRequest request, ShipmentState state, string fingerprint,
        string correlationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO shipments ({ShipmentReads.ReleaseColumns})
            VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $9)
            ON CONFLICT ON CONSTRAINT shipments_business_key_unique DO NOTHING
            RETURNING {ShipmentReads.Columns}
            """, transaction.Connection, transaction);
        insert.Parameters.Add(new() { Value = id });
        insert.Parameters.Add(new() { Value = sourceSystem });
        insert.Parameters.Add(new() { Value = request.BusinessKey! });
        insert.Parameters.Add(new() { Value = state.ToString() });
        insert.Parameters.Add(new() { Value = EstateSystem.Erp.ToString() });
        insert.Parameters.Add(new() { Value = correlationId });
        insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(request, JsonSerializerOptions.Web), NpgsqlDbType = NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new() { Value = fingerprint });
        insert.Parameters.Add(new() { Value = now });
        return await ShipmentReads.ReadSingleAsync(insert, cancellationToken);
    }
}
