using System.Text.Json;
using LogisticsSync.Orchestrator.Exceptions;
using LogisticsSync.Orchestrator.Shipments;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>
/// Runs and findings in PostgreSQL: a run row when it starts, then its findings, the exceptions they open and the run's
/// totals in one transaction, so a run that crashed half-way left a "running" row and nothing it did not finish recording.
/// </summary>
internal sealed class ReconciliationStore(NpgsqlDataSource dataSource, ShipmentTransactions transactions, ExceptionRecords exceptions)
{
    private const string RunColumns = "id, trigger, status, started_at, finished_at, shipments, findings, healed, exceptions, unavailable, duration_ms";

    public async Task StartAsync(Guid runId, string trigger, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO reconciliation_runs (id, trigger, status, started_at) VALUES ($1, $2, $3, $4)");
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = trigger });
        command.Parameters.Add(new() { Value = RunStatus.Running });
        command.Parameters.Add(new() { Value = startedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task FailAsync(Guid runId, DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE reconciliation_runs SET status = $2, finished_at = $3 WHERE id = $1 AND status = $4");
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = RunStatus.Failed });
        command.Parameters.Add(new() { Value = finishedAt });
        command.Parameters.Add(new() { Value = RunStatus.Running });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>When each (shipment, subject) of these shipments was last healed, by any run.</summary>
    public async Task<Dictionary<(Guid, string), DateTimeOffset>> HealedAsync(IEnumerable<Guid> shipmentIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT shipment_id, subject, max(recorded_at) FROM reconciliation_findings
            WHERE action = 'healed' AND shipment_id = ANY($1) GROUP BY shipment_id, subject
            """);
        command.Parameters.Add(new() { Value = shipmentIds.Distinct().ToArray() });
        var healed = new Dictionary<(Guid, string), DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            healed[(reader.GetGuid(0), reader.GetString(1))] = reader.GetFieldValue<DateTimeOffset>(2);
        }

        return healed;
    }

    /// <summary>Findings, the exceptions they open (one per shipment, owned by the team of its first drift), and the run's totals.</summary>
    public async Task<ReconciliationRun> CompleteAsync(
        Guid runId, IReadOnlyList<FindingOutcome> outcomes, int shipments, IReadOnlyCollection<string> unavailable, DateTimeOffset finishedAt, double durationMs,
        CancellationToken cancellationToken)
    {
        var opened = 0;
        await transactions.RunAsync(async unit =>
        {
            if (outcomes.Count > 0)
            {
                await unit.ExecuteAsync(InsertFindings(runId, outcomes, finishedAt), cancellationToken);
            }

            foreach (var shipment in outcomes.Where(o => o.Action == FindingActions.Exception).GroupBy(o => o.Finding.ShipmentId))
            {
                var first = shipment.First().Finding;
                var type = ExceptionTypes.ReconciliationDrift with { OwnerTeam = first.OwnerTeam };
                var detail = string.Join("; ", shipment.Select(o => $"{o.Finding.Partner} {o.Finding.Subject} {o.Finding.Drift}: ours {o.Finding.Ours}, theirs {o.Finding.Theirs}"));
                if (await unit.OpenExceptionAsync(exceptions.Open(first.ShipmentId, first.BusinessKey, type, detail), type, cancellationToken))
                {
                    opened++;
                }
                else
                {
                    await unit.ExecuteAsync(ExceptionRecords.Refresh(first.ShipmentId, type, detail), cancellationToken);
                }
            }

            await unit.ExecuteAsync(new NpgsqlBatchCommand("""
                UPDATE reconciliation_runs SET status = $2, finished_at = $3, shipments = $4, findings = $5, healed = $6, exceptions = $7, unavailable = $8, duration_ms = $9
                WHERE id = $1
                """)
            {
                Parameters =
                {
                    new() { Value = runId }, new() { Value = unavailable.Count > 0 ? RunStatus.Partial : RunStatus.Completed }, new() { Value = finishedAt },
                    new() { Value = shipments }, new() { Value = outcomes.Count }, new() { Value = outcomes.Count(o => o.Action == FindingActions.Healed) },
                    new() { Value = opened }, new() { Value = unavailable.Order(StringComparer.Ordinal).ToArray() }, new() { Value = durationMs },
                },
            }, cancellationToken);
        }, cancellationToken);
        return (await GetAsync(runId, cancellationToken))!.Run;
    }

    public async Task<IReadOnlyList<ReconciliationRun>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM reconciliation_runs ORDER BY started_at DESC LIMIT $1");
        command.Parameters.Add(new() { Value = limit });
        var runs = new List<ReconciliationRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    public async Task<ReconciliationRunDetail?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {RunColumns} FROM reconciliation_runs WHERE id = $1") { Parameters = { new() { Value = runId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT id, shipment_id, business_key, partner, subject, drift, ours, theirs, evidence::text, action, action_detail, recorded_at
            FROM reconciliation_findings WHERE run_id = $1 ORDER BY id
            """) { Parameters = { new() { Value = runId } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var run = ReadRun(reader);
        await reader.NextResultAsync(cancellationToken);
        var findings = new List<ReconciliationFinding>();
        while (await reader.ReadAsync(cancellationToken))
        {
            findings.Add(new ReconciliationFinding(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                reader.GetString(7), JsonSerializer.Deserialize<JsonElement>(reader.GetString(8)), reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return new ReconciliationRunDetail(run, findings);
    }

    private static ReconciliationRun ReadRun(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8),
        reader.GetFieldValue<string[]>(9), reader.IsDBNull(10) ? null : reader.GetDouble(10));

    private static NpgsqlBatchCommand InsertFindings(Guid runId, IReadOnlyList<FindingOutcome> outcomes, DateTimeOffset recordedAt)
    {
        // Column arrays unnested into rows: one statement for any number of findings.
        NpgsqlParameter Texts(Func<FindingOutcome, string?> value) => new() { Value = outcomes.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
        return new NpgsqlBatchCommand("""
            INSERT INTO reconciliation_findings (run_id, shipment_id, business_key, partner, subject, drift, ours, theirs, evidence, action, action_detail, recorded_at)
            SELECT $1, f.shipment_id, f.business_key, f.partner, f.subject, f.drift, f.ours, f.theirs, f.evidence::jsonb, f.action, f.action_detail, $12
            FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                AS f(shipment_id, business_key, partner, subject, drift, ours, theirs, evidence, action, action_detail)
            """)
        {
            Parameters =
            {
                new() { Value = runId },
                new() { Value = outcomes.Select(o => o.Finding.ShipmentId).ToArray() },
                Texts(o => o.Finding.BusinessKey), Texts(o => o.Finding.Partner), Texts(o => o.Finding.Subject), Texts(o => o.Finding.Drift),
                Texts(o => o.Finding.Ours), Texts(o => o.Finding.Theirs), Texts(o => JsonSerializer.Serialize(o.Finding.Evidence, JsonSerializerOptions.Web)),
                Texts(o => o.Action), Texts(o => o.Detail),
                new() { Value = recordedAt },
            },
        };
    }
}
