using System.Globalization;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LogisticsSync.Orchestrator.WorkflowLatency;

/// <summary>How long one stage of the workflow took across the shipments released in the window, in milliseconds.</summary>
public sealed record StageLatency(string Stage, string From, string To, long Shipments, double? P50Ms, double? P90Ms, double? P99Ms, double? MaxMs);

public sealed record WorkflowLatencyReport(DateTimeOffset Since, string? BusinessKeyPrefix, long ShipmentsReleased, IReadOnlyList<StageLatency> Stages);

/// <summary>
/// Per-stage workflow latency as the orchestrator saw it (release → packed → booked → delivered → invoiced), read
/// from the event trail: a stage's span runs from the first trail row that reached its start state to the first
/// that reached its end state. Load reports show it next to the client-side figures of the same run.
/// </summary>
internal static class WorkflowLatencyEndpoints
{
    /// <summary>The stages reported, each from one main-path state to a later one; the last spans the whole order-to-cash.</summary>
    public static IReadOnlyList<(ShipmentState From, ShipmentState To)> Stages { get; } =
    [
        (ShipmentState.Released, ShipmentState.Packed),
        (ShipmentState.Packed, ShipmentState.Booked),
        (ShipmentState.Booked, ShipmentState.Delivered),
        (ShipmentState.Delivered, ShipmentState.Invoiced),
        (ShipmentState.Released, ShipmentState.Invoiced),
    ];

    private const int MaxPrefixLength = 64;

    public static IEndpointRouteBuilder MapWorkflowLatencyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            endpoints.MapGet($"/api/{version}/estate/workflow-latency", ReportAsync)
                .WithName($"WorkflowLatency-{version}")
                .WithTags($"Estate {version}")
                .WithSummary("Per-stage workflow latency (p50/p90/p99/max) of the shipments released since a time");
        }

        return endpoints;
    }

    private static async Task<Results<Ok<WorkflowLatencyReport>, ProblemHttpResult>> ReportAsync(
        string? since, string? businessKeyPrefix, NpgsqlDataSource dataSource, TimeProvider time, IOptions<WorkflowLatencyOptions> options,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var now = time.GetUtcNow();
        DateTimeOffset from;
        if (since is null)
        {
            from = now.AddHours(-1);
        }
        else if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "since is not a time",
                detail: $"'{since}' is not an ISO 8601 time, e.g. 2026-11-23T17:00:00Z. Leave it out for the last hour.");
        }

        if (from < now - limits.MaxWindow)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "since is too far back",
                detail: $"The report covers at most {limits.MaxWindow.TotalHours:0.#} hours: since must be after {now - limits.MaxWindow:O}.");
        }

        if (businessKeyPrefix is { Length: > MaxPrefixLength })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "businessKeyPrefix is too long",
                detail: $"Business keys are at most {MaxPrefixLength} characters.");
        }

        try
        {
            return TypedResults.Ok(await ReadAsync(dataSource, from, businessKeyPrefix, limits.StatementTimeout, cancellationToken));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.QueryCanceled && !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The report took too long",
                detail: $"It was stopped after {limits.StatementTimeout.TotalSeconds:0.#} s; ask for a shorter window or a business key prefix.");
        }
    }

    /// <summary>
    /// Per stage: how many released shipments spanned it, the span's p50/p90/p99 and maximum, and how many were released.
    /// $1 since, $2 business key prefix, $3/$4 the states and the milestones into them, $5/$6 the stages and their target states.
    /// </summary>
    private static readonly string StageSpansSql = $"""
        WITH released AS (
            SELECT id, created_at FROM shipments WHERE created_at >= $1 AND starts_with(business_key, $2)),
        reached AS (
            SELECT r.id, t.state, min(e.recorded_at) AS at
            FROM released r
            CROSS JOIN unnest($3::text[], $4::text[]) AS t(state, milestone)
            JOIN shipment_events e ON e.shipment_id = r.id
                AND ((e.outcome = '{TrailOutcomes.Applied}' AND e.to_state = t.state) OR (e.outcome = '{TrailOutcomes.Skipped}' AND e.milestone = t.milestone))
            GROUP BY r.id, t.state
            UNION ALL
            SELECT id, '{ShipmentState.Released}', created_at FROM released),
        spans AS (
            SELECT s.stage, (extract(epoch FROM b.at - a.at) * 1000)::float8 AS ms
            FROM unnest($5::text[], $6::text[]) AS s(stage, to_state)
            JOIN reached a ON a.state = split_part(s.stage, '>', 1)
            JOIN reached b ON b.id = a.id AND b.state = s.to_state)
        SELECT s.stage, count(sp.ms), percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY sp.ms), max(sp.ms),
               (SELECT count(*) FROM released)
        FROM unnest($5::text[]) WITH ORDINALITY AS s(stage, position)
        LEFT JOIN spans sp ON sp.stage = s.stage
        GROUP BY s.stage, s.position
        ORDER BY s.position
        """;

    private static async Task<WorkflowLatencyReport> ReadAsync(
        NpgsqlDataSource dataSource, DateTimeOffset since, string? businessKeyPrefix, TimeSpan statementTimeout, CancellationToken cancellationToken)
    {
        // A state counts as reached by the row that moved the shipment into it, or by the row recording that a
        // forward jump went past its milestone (skipped rows name the milestone, not a state).
        ShipmentState[] reachable = [.. Stages.SelectMany(s => new[] { s.From, s.To }).Distinct().Where(s => s != ShipmentState.Released)];
        var milestoneInto = reachable.Select(state => ShipmentLifecycle.MilestoneInto(state).EventName()).ToArray();

        // The timeout is the server's, for this transaction only: a client-side timeout would leave the query running.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        await using (var timeout = new NpgsqlCommand(
            $"SET LOCAL statement_timeout = {(long)statementTimeout.TotalMilliseconds}", connection, transaction))
        {
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(StageSpansSql, connection, transaction);
        command.Parameters.Add(new() { Value = since });
        command.Parameters.Add(new() { Value = businessKeyPrefix ?? "" });
        command.Parameters.Add(new() { Value = reachable.Select(s => s.ToString()).ToArray() });
        command.Parameters.Add(new() { Value = milestoneInto });
        command.Parameters.Add(new() { Value = Stages.Select(s => $"{s.From}>{s.To}").ToArray() });
        command.Parameters.Add(new() { Value = Stages.Select(s => s.To.ToString()).ToArray() });

        var stages = new List<StageLatency>();
        long released = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (from, to) = Stages[stages.Count];
            double?[] percentiles = reader.IsDBNull(2) ? [null, null, null] : [.. reader.GetFieldValue<double[]>(2).Select(p => (double?)p)];
            stages.Add(new StageLatency($"{from} → {to}", from.ToString(), to.ToString(), reader.GetInt64(1),
                percentiles[0], percentiles[1], percentiles[2], reader.IsDBNull(3) ? null : reader.GetDouble(3)));
            released = reader.GetInt64(4);
        }

        return new WorkflowLatencyReport(since, businessKeyPrefix, released, stages);
    }
}
