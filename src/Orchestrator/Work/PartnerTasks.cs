using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Data;
using LogisticsSync.ServiceDefaults.Tracing;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Work;

/// <summary>The kinds of partner work, as stored in <c>partner_tasks.kind</c>.</summary>
internal static class TaskKinds
{
    public const string Tender = "tender";
    public const string GoodsIssue = "goods-issue";
    public const string Invoice = "invoice";

    public static readonly string[] All = [Tender, GoodsIssue, Invoice];
}

/// <summary>
/// A task a replica has claimed: its lease is fenced by <see cref="Attempt"/> (the attempts count after the claim);
/// <see cref="Failures"/> counts the failed calls since the last success, for the back-off.
/// </summary>
internal sealed record ClaimedTask(
    long Id, Guid ShipmentId, string Kind, int Attempt, int Failures, DateTimeOffset OccurredAt, DateTimeOffset? FailingSince, TraceContext Trace);

/// <summary>The task's lease ran out and another replica claimed it: nothing this run did may be committed.</summary>
internal sealed class LeaseLostException(ClaimedTask task)
    : Exception($"Task {task.Id} ({task.Kind}) was claimed again after attempt {task.Attempt}; its outcome is discarded.");

/// <summary>Retry delays with jitter: replicas and shipments parked by one outage do not all come back at the same instant.</summary>
internal static class Backoff
{
    /// <summary>Exponential, capped, then "equal jitter": somewhere between half and all of it.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, Random random)
    {
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + random.NextDouble() * capped / 2);
    }
}

/// <summary>
/// The durable work table for partner calls. Rows are created by <see cref="Create"/> inside the transaction of
/// the state change that causes them; replicas claim due rows with FOR UPDATE SKIP LOCKED and lease them by
/// moving <c>due_at</c> ahead; every outcome is written fenced by the claim's attempt number, in the same
/// transaction as whatever the call changed, so a run whose lease was lost commits nothing.
/// </summary>
internal sealed class PartnerTaskStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Creates the shipment's task of this kind, due now, unless it has one (idempotent per shipment and kind), with the
    /// trace context of the change that caused it: the call continues that trace when a replica runs it.
    /// </summary>
    public static NpgsqlBatchCommand Create(Guid shipmentId, string kind, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO partner_tasks (shipment_id, kind, occurred_at, due_at, created_at, traceparent, tracestate) VALUES ($1, $2, $3, $4, $4, $5, $6)
            ON CONFLICT ON CONSTRAINT partner_tasks_once_per_kind DO NOTHING
            """)
        {
            Parameters = { new() { Value = shipmentId }, new() { Value = kind }, new() { Value = occurredAt }, new() { Value = now } },
        };
        command.Parameters.AddRange(TraceColumns.Current().ToArray());
        return command;
    }

    public async Task<IReadOnlyList<ClaimedTask>> ClaimAsync(int max, string claimant, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            UPDATE partner_tasks t SET due_at = $2, attempts = t.attempts + 1, claimed_by = $3
            FROM (SELECT id FROM partner_tasks WHERE completed_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) due
            WHERE t.id = due.id
            RETURNING t.id, t.shipment_id, t.kind, t.attempts, t.failures, t.occurred_at, t.failing_since, t.traceparent, t.tracestate
            """);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + lease });
        command.Parameters.Add(new() { Value = claimant });
        command.Parameters.Add(new() { Value = max });
        var claimed = new List<ClaimedTask>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new ClaimedTask(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), TraceColumns.Read(reader, 7)));
        }

        return claimed;
    }

    /// <summary>
    /// Moves the lease of tasks this replica still holds (same claim, not done, not parked) to now + <paramref name="lease"/>;
    /// a task another claim overtook, or one its handler already completed or rescheduled, is left as it is.
    /// </summary>
    public async Task ExtendAsync(IReadOnlyList<ClaimedTask> held, string claimant, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE partner_tasks t SET due_at = $3
            FROM unnest($1::bigint[], $2::integer[]) AS held(id, attempt)
            WHERE t.id = held.id AND t.attempts = held.attempt AND t.completed_at IS NULL AND t.claimed_by = $4 AND t.due_at < $3
            """);
        command.Parameters.Add(new() { Value = held.Select(t => t.Id).ToArray() });
        command.Parameters.Add(new() { Value = held.Select(t => t.Attempt).ToArray() });
        command.Parameters.Add(new() { Value = time.GetUtcNow() + lease });
        command.Parameters.Add(new() { Value = claimant });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Makes due now the tasks a previous run of this replica (same instance id, so certainly dead) left leased, instead
    /// of leaving them until their lease runs out. Returns how many.
    /// </summary>
    public async Task<int> ReleaseLeftoversAsync(string claimant, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE partner_tasks SET due_at = $2, claimed_by = NULL WHERE claimed_by = $1 AND completed_at IS NULL AND due_at > $2");
        command.Parameters.Add(new() { Value = claimant });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the task done in the caller's transaction; throws <see cref="LeaseLostException"/> when another claim overtook this one.</summary>
    public async Task CompleteAsync(NpgsqlTransaction transaction, ClaimedTask task, string outcome, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE partner_tasks SET completed_at = $3, outcome = $4, claimed_by = NULL, last_error = NULL, failures = 0, failing_since = NULL
            WHERE id = $1 AND attempts = $2 AND completed_at IS NULL
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = task.Id });
        command.Parameters.Add(new() { Value = task.Attempt });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = outcome });
        await ExpectOneRowAsync(command, task, cancellationToken);
    }

    /// <summary>Checks the fence in the caller's transaction (and locks the row until it ends): throws <see cref="LeaseLostException"/> when another claim overtook this one.</summary>
    public async Task RenewAsync(NpgsqlTransaction transaction, ClaimedTask task, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT 1 FROM partner_tasks WHERE id = $1 AND attempts = $2 AND completed_at IS NULL FOR UPDATE", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = task.Id });
        command.Parameters.Add(new() { Value = task.Attempt });
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw new LeaseLostException(task);
        }
    }

    /// <summary>
    /// Parks the task until <paramref name="dueAt"/> in the caller's transaction. A failure starts (or continues) the
    /// run of failures its SLA counts from; a wait that is not a failure (the invoice waiting for its goods issue) does not.
    /// </summary>
    public async Task RescheduleAsync(NpgsqlTransaction transaction, ClaimedTask task, DateTimeOffset dueAt, string? error, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE partner_tasks SET due_at = $3, claimed_by = NULL, last_error = $4,
                failures = CASE WHEN $4 IS NULL THEN failures ELSE failures + 1 END,
                failing_since = CASE WHEN $4 IS NULL THEN failing_since ELSE COALESCE(failing_since, $5) END
            WHERE id = $1 AND attempts = $2 AND completed_at IS NULL
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = task.Id });
        command.Parameters.Add(new() { Value = task.Attempt });
        command.Parameters.Add(new() { Value = dueAt });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        await ExpectOneRowAsync(command, task, cancellationToken);
    }

    /// <summary>When the shipment's task of that kind is next due; null when it is done or there is none.</summary>
    public async Task<DateTimeOffset?> PendingUntilAsync(Guid shipmentId, string kind, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT due_at FROM partner_tasks WHERE shipment_id = $1 AND kind = $2 AND completed_at IS NULL");
        command.Parameters.Add(new() { Value = shipmentId });
        command.Parameters.Add(new() { Value = kind });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime due ? new DateTimeOffset(due, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Makes the parked task due now (an operator's retry). Not while a replica holds it: two runs of one call
    /// side by side would be harmless (tenders and postings are idempotent) but make the trail hard to read.
    /// </summary>
    public static NpgsqlBatchCommand MakeDue(Guid shipmentId, string kind, DateTimeOffset now) =>
        new("""
            UPDATE partner_tasks SET due_at = $3
            WHERE shipment_id = $1 AND kind = $2 AND completed_at IS NULL AND (claimed_by IS NULL OR due_at <= $3)
            """)
        {
            Parameters = { new() { Value = shipmentId }, new() { Value = kind }, new() { Value = now } },
        };

    /// <summary>Pending tasks per kind and the age of the most overdue, for the queue gauges.</summary>
    public async Task<IReadOnlyList<(string Kind, long Pending, double OldestDueSeconds)>> SampleAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT kind, count(*), COALESCE(EXTRACT(EPOCH FROM ($1 - min(due_at) FILTER (WHERE due_at <= $1))), 0)::float8
            FROM partner_tasks WHERE completed_at IS NULL GROUP BY kind
            """);
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        var samples = new List<(string, long, double)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            samples.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
        }

        return samples;
    }

    private static async Task ExpectOneRowAsync(NpgsqlCommand command, ClaimedTask task, CancellationToken cancellationToken)
    {
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new LeaseLostException(task);
        }
    }
}

/// <summary>The work queue as gauges: pending tasks and the age of the most overdue one, per kind (sampled by the worker).</summary>
internal sealed class PartnerTaskMetrics
{
    private volatile IReadOnlyList<(string Kind, long Pending, double OldestDueSeconds)> _latest = [];

    public PartnerTaskMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(OrchestratorMetrics.MeterName);
        meter.CreateObservableGauge("logistics.partner_tasks.pending",
            () => Observe(sample => sample.Pending), description: "Partner tasks not done yet (due or parked), by kind");
        meter.CreateObservableGauge("logistics.partner_tasks.oldest_due_age",
            () => Observe(sample => sample.OldestDueSeconds), unit: "s", description: "How long the most overdue partner task has been due, by kind");
    }

    public void Record(IReadOnlyList<(string Kind, long Pending, double OldestDueSeconds)> samples) => _latest = samples;

    private IEnumerable<Measurement<T>> Observe<T>(Func<(string Kind, long Pending, double OldestDueSeconds), T> value) where T : struct
    {
        var latest = _latest;
        // Every kind, also those with nothing pending: a gauge that vanishes reads as "unknown", not as zero.
        return TaskKinds.All.Select(kind =>
        {
            var sample = latest.FirstOrDefault(s => s.Kind == kind);
            return new Measurement<T>(value(sample.Kind is null ? (kind, 0, 0) : sample), new KeyValuePair<string, object?>("kind", kind));
        });
    }
}
