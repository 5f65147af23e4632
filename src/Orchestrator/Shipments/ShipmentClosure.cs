using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Npgsql;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// Closure (the orchestrator's transition Invoiced → Closed): an invoiced shipment with no open exception and no
/// pending partner work closes. Run by the unit of work as it commits, after every other write of the transaction,
/// for the shipments it touched that may close (invoiced now, or an exception of theirs resolved).
/// </summary>
internal static class ShipmentClosure
{
    /// <summary>Applies Closed to those of <paramref name="candidates"/> that are invoiced and have nothing open; returns what applying did.</summary>
    public static async Task<(List<MilestoneOutcome?> Outcomes, List<ExceptionChanges> Exceptions)> CloseSettledAsync(
        NpgsqlTransaction transaction, MilestoneApplier applier, IReadOnlyCollection<Guid> candidates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcomes = new List<MilestoneOutcome?>();
        var exceptions = new List<ExceptionChanges>();
        foreach (var (id, correlationId) in await SettledAsync(transaction, candidates, cancellationToken))
        {
            var closed = new IncomingMilestone($"closed:{id}", ShipmentMilestone.Closed, EstateSystem.Orchestrator, correlationId, now,
                "invoiced, with no open exception and no pending partner work");
            var (outcome, changes) = await applier.ApplyAsync(transaction, id, closed, cancellationToken);
            outcomes.Add(outcome);
            exceptions.Add(changes);
        }

        return (outcomes, exceptions);
    }

    /// <summary>
    /// Locks the candidates first (in id order, as every batch does), then looks in a statement of its own, whose
    /// snapshot is taken once the locks are held: of two transactions resolving a shipment's last two exceptions
    /// side by side, the second to lock sees the first's resolution committed, and closes.
    /// </summary>
    private static async Task<List<(Guid Id, string CorrelationId)>> SettledAsync(
        NpgsqlTransaction transaction, IReadOnlyCollection<Guid> candidates, CancellationToken cancellationToken)
    {
        var ids = candidates.ToArray();
        await using (var lockRows = new NpgsqlCommand("SELECT id FROM shipments WHERE id = ANY($1) ORDER BY id FOR UPDATE", transaction.Connection, transaction))
        {
            lockRows.Parameters.Add(new() { Value = ids });
            await lockRows.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var settled = new NpgsqlCommand($"""
            SELECT s.id, s.correlation_id FROM shipments s
            WHERE s.id = ANY($1) AND s.state = '{ShipmentState.Invoiced}'
              AND NOT EXISTS (SELECT 1 FROM shipment_exceptions x WHERE x.shipment_id = s.id AND x.status = 'open')
              AND NOT EXISTS (SELECT 1 FROM partner_tasks t WHERE t.shipment_id = s.id AND t.completed_at IS NULL)
            ORDER BY s.id
            """, transaction.Connection, transaction);
        settled.Parameters.Add(new() { Value = ids });
        var found = new List<(Guid, string)>();
        await using var reader = await settled.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return found;
    }
}
