using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Monitoring;
using Npgsql;

namespace LogisticsSync.Load.Chaos.Invariants;

/// <summary>Reads the <see cref="Records"/> the invariants judge: PostgreSQL directly, the ERP's ledger, RabbitMQ's management API.</summary>
public static class SystemsOfRecord
{
    public static async Task<Records> ReadAsync(ChaosEstate estate, ErpLedger erp, DateTimeOffset runStart, CancellationToken cancellationToken)
    {
        await erp.PollAsync(cancellationToken);
        var orders = erp.Orders;
        var keys = orders.Select(o => o.BusinessKey).ToArray();
        await using var database = NpgsqlDataSource.Create(estate.Database);
        var shipments = await QueryAsync(database,
            """
            SELECT s.business_key, s.id, s.state,
                   coalesce(array_agg(x.type || ': ' || x.detail) FILTER (WHERE x.id IS NOT NULL), '{}'),
                   EXTRACT(EPOCH FROM now() - s.updated_at)::float8,
                   (SELECT string_agg(p.kind || coalesce(' held by ' || p.claimed_by, '') || ' due in '
                                      || round(EXTRACT(EPOCH FROM p.due_at - now()))::text || ' s', ', ' ORDER BY p.id)
                    FROM partner_tasks p WHERE p.shipment_id = s.id AND p.completed_at IS NULL)
            FROM shipments s LEFT JOIN shipment_exceptions x ON x.shipment_id = s.id AND x.status = 'open'
            WHERE s.business_key = ANY($1) OR (starts_with(s.business_key, 'SO-') AND s.created_at >= $2)
            GROUP BY s.business_key, s.id, s.state, s.updated_at
            """, r => new ShipmentRow(r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetFieldValue<string[]>(3),
                TimeSpan.FromSeconds(r.GetDouble(4)), r.IsDBNull(5) ? null : r.GetString(5)), cancellationToken, keys, runStart);
        // The same effect twice: a main-path milestone applied twice to a shipment, or one carrier event applied twice.
        var twice = await QueryAsync(database,
            """
            SELECT s.business_key || ' ' || e.milestone || ' ×' || count(*) FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
            WHERE s.business_key = ANY($1) AND e.outcome IN ('applied', 'skipped')
              AND e.milestone IN ('released', 'allocated', 'picked', 'packed', 'booked', 'delivered', 'invoiced')
            GROUP BY s.business_key, e.milestone HAVING count(*) > 1
            UNION ALL
            SELECT 'carrier event ' || e.event_id || ' ×' || count(*) FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
            WHERE s.business_key = ANY($1) AND e.source_system = 'Carrier' AND e.outcome = 'applied'
            GROUP BY e.event_id HAVING count(*) > 1
            """, r => r.GetString(0), cancellationToken, (object)keys);
        var outbox = (await QueryAsync(database, "SELECT count(*) FROM outbox WHERE published_at IS NULL", r => r.GetInt64(0), cancellationToken)).Single();
        var deadLetters = await QueryAsync(database, "SELECT id, event_id, routing_key, reason FROM dead_letters WHERE dead_at >= $1 AND replayed_at IS NULL ORDER BY id",
            r => new DeadLetter(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3)), cancellationToken, runStart);
        return new Records(orders, shipments, erp.Postings, twice, outbox, await QueueDepthsAsync(estate, cancellationToken), deadLetters);
    }

    private static async Task<Dictionary<string, long>> QueueDepthsAsync(ChaosEstate estate, CancellationToken cancellationToken)
    {
        using var rabbit = EstateSampler.ManagementClient(estate);
        var queues = await rabbit.GetFromJsonAsync<JsonElement>("api/queues", cancellationToken);
        return queues.EnumerateArray().ToDictionary(q => q.GetProperty("name").GetString()!,
            q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
    }

    private static async Task<List<T>> QueryAsync<T>(NpgsqlDataSource database, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
