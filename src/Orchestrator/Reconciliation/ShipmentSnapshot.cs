using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Work;
using Npgsql;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>A partner task as reconciliation needs it: there is one, whether it is done, and when its cause happened.</summary>
internal sealed record TaskSnapshot(bool Completed, DateTimeOffset OccurredAt);

/// <summary>What the orchestrator holds about one shipment, read in one query for a whole run.</summary>
internal sealed record ShipmentSnapshot(
    Guid Id,
    string SourceSystem,
    string BusinessKey,
    ShipmentState State,
    string CorrelationId,
    int Quantity,
    string? CarrierId,
    string? TrackingNumber,
    string? BookingReference,
    Guid? BookedTenderId,
    TaskSnapshot? GoodsIssue,
    TaskSnapshot? Invoice,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Where the state sits on the main path (a side state at the milestone it stands for); Cancelled has none.</summary>
    public int? Position => PositionOf(State);

    public static int? PositionOf(ShipmentState state)
    {
        var onPath = ShipmentLifecycle.SideStatePositions.GetValueOrDefault(state, state);
        var index = ShipmentLifecycle.MainPath.TakeWhile(s => s != onPath).Count();
        return index < ShipmentLifecycle.MainPath.Count ? index : null;
    }

    /// <summary>Every shipment quiet since <paramref name="quietSince"/>, but the cancelled ones (nothing left to agree on).</summary>
    public static async Task<IReadOnlyList<ShipmentSnapshot>> LoadAsync(NpgsqlDataSource dataSource, DateTimeOffset quietSince, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT s.id, s.source_system, s.business_key, s.state, s.correlation_id,
                COALESCE((SELECT sum((l->>'quantity')::int) FROM jsonb_array_elements(s.release->'lines') l), 0)::int,
                s.carrier_id, s.tracking_number, s.booking_reference, t.tender_id,
                gi.completed_at IS NOT NULL, gi.occurred_at, inv.completed_at IS NOT NULL, inv.occurred_at, s.created_at, s.updated_at
            FROM shipments s
            LEFT JOIN partner_tasks gi ON gi.shipment_id = s.id AND gi.kind = '{TaskKinds.GoodsIssue}'
            LEFT JOIN partner_tasks inv ON inv.shipment_id = s.id AND inv.kind = '{TaskKinds.Invoice}'
            LEFT JOIN LATERAL (
                SELECT tender_id FROM tenders WHERE shipment_id = s.id AND outcome = 'booked' ORDER BY answered_at DESC LIMIT 1) t ON true
            WHERE s.state <> 'Cancelled' AND s.updated_at <= $1
            ORDER BY s.id
            """);
        command.Parameters.Add(new() { Value = quietSince });
        var snapshots = new List<ShipmentSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            snapshots.Add(new ShipmentSnapshot(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Enum.Parse<ShipmentState>(reader.GetString(3)), reader.GetString(4), reader.GetInt32(5),
                NullableString(reader, 6), NullableString(reader, 7), NullableString(reader, 8), reader.IsDBNull(9) ? null : reader.GetGuid(9),
                Task(reader, 10), Task(reader, 12), reader.GetFieldValue<DateTimeOffset>(14), reader.GetFieldValue<DateTimeOffset>(15)));
        }

        return snapshots;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>The task whose completed flag is at <paramref name="ordinal"/> and its occurred_at after it; null when there is none.</summary>
    private static TaskSnapshot? Task(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal + 1) ? null : new TaskSnapshot(reader.GetBoolean(ordinal), reader.GetFieldValue<DateTimeOffset>(ordinal + 1));
}
