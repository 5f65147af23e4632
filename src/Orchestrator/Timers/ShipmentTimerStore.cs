using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Npgsql;

namespace LogisticsSync.Orchestrator.Timers;

/// <summary>Claims due timers with their shipments, and marks them fired, in the firing transaction.</summary>
internal static class ShipmentTimerStore
{
    /// <summary>
    /// Due, unfired timers with their shipments, both rows locked FOR UPDATE SKIP LOCKED: a timer another replica is
    /// firing, or whose shipment a milestone is changing right now, is skipped, never waited for (so never a deadlock
    /// with a transition that replaces the timer), and looked at again on the next poll.
    /// </summary>
    public static async Task<IReadOnlyList<DueTimer>> ClaimDueAsync(NpgsqlTransaction transaction, int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT t.shipment_id, s.business_key, t.kind, t.state, t.due_at, t.armed_at, s.state
            FROM shipment_timers t JOIN shipments s ON s.id = t.shipment_id
            WHERE t.fired_at IS NULL AND t.due_at <= $1
            ORDER BY t.due_at LIMIT $2
            FOR UPDATE OF t, s SKIP LOCKED
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = max });
        var due = new List<DueTimer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueTimer(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), Enum.Parse<ShipmentState>(reader.GetString(6))));
        }

        return due;
    }

    /// <summary>Fired: it stays as the record of the breach (and keeps a self-transition from re-arming it) until the shipment moves on.</summary>
    public static NpgsqlBatchCommand MarkFired(IReadOnlyList<DueTimer> timers, DateTimeOffset now) =>
        new("""
            UPDATE shipment_timers t SET fired_at = $3
            FROM unnest($1::uuid[], $2::text[]) AS f(shipment_id, kind)
            WHERE t.shipment_id = f.shipment_id AND t.kind = f.kind AND t.fired_at IS NULL
            """)
        {
            Parameters =
            {
                new() { Value = timers.Select(t => t.ShipmentId).ToArray() }, new() { Value = timers.Select(t => t.Kind).ToArray() }, new() { Value = now },
            },
        };
}
