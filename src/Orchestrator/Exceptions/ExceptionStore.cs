using LogisticsSync.Orchestrator.Work;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Exceptions;

/// <summary>An exception record as the API shows it (docs/flows.md, "Exceptions").</summary>
public sealed record ExceptionRecord(
    Guid Id,
    Guid ShipmentId,
    string BusinessKey,
    string Type,
    string OwnerTeam,
    string Status,
    DateTimeOffset SlaDueAt,
    int EscalationLevel,
    string Detail,
    string? RetryableTask,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    string? Resolution)
{
    public IReadOnlyDictionary<string, string> Links => new Dictionary<string, string>
    {
        ["self"] = $"/api/v1/exceptions/{Id}",
        ["shipment"] = $"/api/v1/shipments/{ShipmentId}",
    };
}

/// <summary>What an operator's resolve or retry found.</summary>
internal enum ExceptionActionResult
{
    Done,
    NotFound,
    AlreadyResolved,
    NothingToRetry,
    TaskRunningNow,
}

/// <summary>Exception records: queries for the API, an operator's resolve and retry, and the escalation sweep.</summary>
internal sealed class ExceptionStore(NpgsqlDataSource dataSource, Shipments.ShipmentTransactions transactions, ExceptionMetrics metrics, TimeProvider time)
{
    private const string Columns =
        "id, shipment_id, business_key, type, owner_team, status, sla_due_at, escalation_level, detail, task_kind, opened_at, resolved_at, resolution";

    /// <param name="bySla">Earliest SLA due first (so the breached lead), instead of newest first.</param>
    public async Task<IReadOnlyList<ExceptionRecord>> ListAsync(string? status, string? type, Guid? shipmentId, int limit, bool bySla, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM shipment_exceptions
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR type = $2) AND ($3::uuid IS NULL OR shipment_id = $3)
            ORDER BY {(bySla ? "sla_due_at, opened_at" : "opened_at DESC")} LIMIT $4
            """);
        command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)shipmentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = limit });
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<ExceptionRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM shipment_exceptions WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// An operator closes the record; the parked work (if any) stays as it is: resolving says the problem is handled,
    /// not that the call succeeded. In a shipment unit of work, so that resolving an invoiced shipment's last open
    /// exception closes it in the same transaction. The shipment is locked before the exception, in the order every
    /// flow takes them, so an operator and a flow resolving the same record never deadlock.
    /// </summary>
    public async Task<(ExceptionActionResult Result, ExceptionRecord? Record)> ResolveAsync(Guid id, string resolution, CancellationToken cancellationToken)
    {
        ExceptionRecord? resolved = null;
        await transactions.RunAsync(async unit =>
        {
            await using var lockShipment = new NpgsqlCommand(
                "SELECT s.id FROM shipments s JOIN shipment_exceptions x ON x.shipment_id = s.id WHERE x.id = $1 FOR UPDATE OF s", unit.Transaction.Connection, unit.Transaction);
            lockShipment.Parameters.Add(new() { Value = id });
            if (await lockShipment.ExecuteScalarAsync(cancellationToken) is not Guid shipmentId)
            {
                return;
            }

            await using var command = new NpgsqlCommand($"""
                UPDATE shipment_exceptions SET status = 'resolved', resolved_at = $2, resolution = $3
                WHERE id = $1 AND status = 'open'
                RETURNING {Columns}
                """, unit.Transaction.Connection, unit.Transaction);
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = time.GetUtcNow() });
            command.Parameters.Add(new() { Value = resolution });
            resolved = (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
            if (resolved is not null)
            {
                unit.MayClose(shipmentId);
                unit.AfterCommit(() => metrics.Resolved(resolved.Type, automatically: false));
            }
        }, cancellationToken);

        if (resolved is not null)
        {
            return (ExceptionActionResult.Done, resolved);
        }

        return await GetAsync(id, cancellationToken) is { } existing
            ? (ExceptionActionResult.AlreadyResolved, existing)
            : (ExceptionActionResult.NotFound, null);
    }

    /// <summary>Makes the parked task behind an open exception due now; the exception stays open until the work succeeds.</summary>
    public async Task<(ExceptionActionResult Result, ExceptionRecord? Record)> RetryAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } record)
        {
            return (ExceptionActionResult.NotFound, null);
        }

        if (record.Status != ExceptionStatus.Open)
        {
            return (ExceptionActionResult.AlreadyResolved, record);
        }

        if (record.RetryableTask is not { } kind)
        {
            return (ExceptionActionResult.NothingToRetry, record);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { PartnerTaskStore.MakeDue(record.ShipmentId, kind, time.GetUtcNow()) } };
        if (await batch.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return (ExceptionActionResult.Done, record);
        }

        // Not waiting: either a replica runs it right now, or it is done (and the exception about to be resolved).
        return (ExceptionActionResult.TaskRunningNow, record);
    }

    /// <summary>Open exceptions past their SLA go one level up and get their SLA again (the next level's deadline).</summary>
    public async Task<int> EscalateAsync(IReadOnlyDictionary<string, TimeSpan> slas, CancellationToken cancellationToken)
    {
        var types = slas.Keys.ToArray();
        await using var command = dataSource.CreateCommand("""
            UPDATE shipment_exceptions e SET escalation_level = e.escalation_level + 1, sla_due_at = e.sla_due_at + s.sla
            FROM unnest($2::text[], $3::interval[]) AS s(type, sla)
            WHERE e.status = 'open' AND e.sla_due_at <= $1 AND e.type = s.type
            """);
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = types });
        command.Parameters.Add(new() { Value = types.Select(t => slas[t]).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<ExceptionRecord>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<ExceptionRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new ExceptionRecord(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt32(7), reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return records;
    }
}

/// <summary>Escalates open exceptions past their SLA; a timer in PostgreSQL terms, so it survives restarts and any replica may run it.</summary>
internal sealed partial class ExceptionEscalator(
    ExceptionStore store,
    Microsoft.Extensions.Options.IOptionsMonitor<ExceptionOptions> options,
    TimeProvider time,
    ILogger<ExceptionEscalator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One UPDATE with a WHERE on the deadline: replicas racing escalate each record once per deadline.
                if (await store.EscalateAsync(options.CurrentValue.Sla, stoppingToken) is var escalated and > 0)
                {
                    LogEscalated(escalated);
                }
            }
            catch (NpgsqlException exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogEscalationFailed(exception);
            }

            await Task.Delay(options.CurrentValue.EscalationInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(EventId = LogEventIds.ExceptionStoreEscalated, Level = LogLevel.Warning, Message = "{Count} open exceptions passed their SLA and were escalated")]
    private partial void LogEscalated(int count);

    [LoggerMessage(EventId = LogEventIds.ExceptionStoreEscalationFailed, Level = LogLevel.Warning, Message = "Escalating exceptions failed; trying again")]
    private partial void LogEscalationFailed(Exception exception);
}
