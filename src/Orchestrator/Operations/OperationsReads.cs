using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.Orchestrator.Timers;
using Npgsql;

namespace LogisticsSync.Orchestrator.Operations;

/// <summary>
/// The operations page's aggregates, each one set-based statement: state counts with dwell percentiles, the oldest
/// shipments in flight, exception queues per owning team, throughput per minute. A shipment's updated_at is the
/// time of its last transition (nothing else writes it), so "now - updated_at" is its time in the current state.
/// </summary>
internal sealed class OperationsReads(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The states reported per minute, each counted when a shipment reached it (Released: when it was created).</summary>
    public static IReadOnlyList<ShipmentState> ThroughputStates { get; } =
        [ShipmentState.Packed, ShipmentState.Booked, ShipmentState.Delivered, ShipmentState.Invoiced];

    private static readonly string[] TerminalStates =
        [.. Enum.GetValues<ShipmentState>().Where(ShipmentLifecycle.IsTerminal).Select(s => s.ToString())];

    public async Task<IReadOnlyList<StateDwell>> StatesAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT state, count(*), percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM $1 - updated_at)::float8),
                   max(extract(epoch FROM $1 - updated_at))::float8
            FROM shipments GROUP BY state
            """);
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        var counted = new Dictionary<string, StateDwell>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var percentiles = reader.GetFieldValue<double[]>(2);
            counted[reader.GetString(0)] = new StateDwell(reader.GetString(0), reader.GetInt64(1), percentiles[0], percentiles[1], reader.GetDouble(3));
        }

        // Every state in lifecycle order, empty ones too: the page's table keeps its shape as shipments move.
        return [.. Enum.GetValues<ShipmentState>().Select(s => counted.GetValueOrDefault(s.ToString()) ?? new StateDwell(s.ToString(), 0, null, null, null))];
    }

    public async Task<IReadOnlyList<InFlightShipment>> InFlightAsync(TimeSpan minAge, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT s.id, s.business_key, s.state, s.state_owner, s.correlation_id, s.updated_at, extract(epoch FROM $1 - s.updated_at)::float8,
                   t.fired_at IS NOT NULL,
                   (SELECT count(*) FROM shipment_exceptions e WHERE e.shipment_id = s.id AND e.status = '{ExceptionStatus.Open}')::int
            FROM shipments s
            LEFT JOIN shipment_timers t ON t.shipment_id = s.id AND t.kind = '{TimerKinds.Dwell}' AND t.state = s.state AND t.fired_at IS NOT NULL
            WHERE s.state <> ALL($2) AND s.updated_at <= $1 - $3
            ORDER BY t.fired_at IS NOT NULL DESC, s.updated_at
            LIMIT $4
            """);
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = TerminalStates });
        command.Parameters.Add(new() { Value = minAge });
        command.Parameters.Add(new() { Value = limit });
        var shipments = new List<InFlightShipment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            shipments.Add(new InFlightShipment(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetDouble(6), reader.GetBoolean(7), reader.GetInt32(8)));
        }

        return shipments;
    }

    public async Task<IReadOnlyList<ExceptionOwnerQueue>> ExceptionOwnersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT owner_team, count(*), count(*) FILTER (WHERE sla_due_at <= $1), min(sla_due_at)
            FROM shipment_exceptions WHERE status = '{ExceptionStatus.Open}'
            GROUP BY owner_team
            ORDER BY count(*) FILTER (WHERE sla_due_at <= $1) DESC, min(sla_due_at)
            """);
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        var owners = new List<ExceptionOwnerQueue>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners.Add(new ExceptionOwnerQueue(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return owners;
    }

    /// <summary>
    /// Zero-filled minutes from <c>$1</c> to now: releases by creation time, the other states by the trail row that
    /// reached them (applied into the state, or the skipped row of its milestone when a forward jump passed it).
    /// </summary>
    private static readonly string ThroughputSql = $"""
        WITH minutes AS (
            SELECT generate_series(date_trunc('minute', $1::timestamptz), date_trunc('minute', $2::timestamptz), interval '1 minute') AS minute),
        released AS (
            SELECT date_trunc('minute', created_at) AS minute, count(*) AS n FROM shipments WHERE created_at >= $1 GROUP BY 1),
        reached AS (
            SELECT date_trunc('minute', e.recorded_at) AS minute, t.state, count(*) AS n
            FROM shipment_events e
            JOIN unnest($3::text[], $4::text[]) AS t(state, milestone)
                ON (e.outcome = '{TrailOutcomes.Applied}' AND e.to_state = t.state) OR (e.outcome = '{TrailOutcomes.Skipped}' AND e.milestone = t.milestone)
            WHERE e.recorded_at >= $1
            GROUP BY 1, 2)
        SELECT m.minute, coalesce(max(r.n), 0), {string.Join(", ", ThroughputStates.Select(s => $"coalesce(sum(x.n) FILTER (WHERE x.state = '{s}'), 0)::bigint"))}
        FROM minutes m
        LEFT JOIN released r ON r.minute = m.minute
        LEFT JOIN reached x ON x.minute = m.minute
        GROUP BY m.minute
        ORDER BY m.minute
        """;

    public async Task<ThroughputReport> ThroughputAsync(int minutes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1 - minutes);
        await using var command = dataSource.CreateCommand(ThroughputSql);
        command.Parameters.Add(new() { Value = since });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = ThroughputStates.Select(s => s.ToString()).ToArray() });
        command.Parameters.Add(new() { Value = ThroughputStates.Select(s => ShipmentLifecycle.MilestoneInto(s).EventName()).ToArray() });
        var perMinute = new List<ThroughputMinute>(minutes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            perMinute.Add(new ThroughputMinute(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1),
                reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return new ThroughputReport(since, minutes, perMinute);
    }
}
