using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LogisticsSync.Orchestrator.Retention;

/// <summary>
/// Keeps the outbox and the inbox from growing without bound. Unsent outbox rows are never touched,
/// whatever their age. Replicas may sweep at the same moment: each chunk skips rows another holds.
/// </summary>
internal sealed partial class RetentionSweeper(
    NpgsqlDataSource dataSource,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    private static readonly (string Table, string Sql, Func<RetentionOptions, TimeSpan> KeepFor)[] Sweeps =
    [
        ("outbox", """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE published_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, o => o.PublishedOutbox),
        ("inbox", """
            DELETE FROM inbox WHERE (consumer, event_id) IN (
                SELECT consumer, event_id FROM inbox WHERE received_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, o => o.Inbox),
    ];

    private readonly Counter<long> _deleted = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.retention.deleted", description: "Rows past their retention deleted, by table");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The next tick tries again; nothing is lost by sweeping late.
                LogSweepFailed(exception, exception.Message);
            }

            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var (table, sql, keepFor) in Sweeps)
        {
            var before = time.GetUtcNow() - keepFor(options.Value);
            int deleted;
            do
            {
                await using var command = dataSource.CreateCommand(sql);
                command.Parameters.Add(new() { Value = before });
                command.Parameters.Add(new() { Value = options.Value.ChunkSize });
                deleted = await command.ExecuteNonQueryAsync(cancellationToken);
                if (deleted > 0)
                {
                    _deleted.Add(deleted, new KeyValuePair<string, object?>("table", table));
                    LogSwept(deleted, table, before);
                }
            }
            while (deleted == options.Value.ChunkSize);
        }
    }

    [LoggerMessage(EventId = LogEventIds.RetentionSweeperSwept, Level = LogLevel.Information, Message = "Retention: deleted {Count} {Table} rows older than {Before:O}")]
    private partial void LogSwept(int count, string table, DateTimeOffset before);

    [LoggerMessage(EventId = LogEventIds.RetentionSweeperSweepFailed, Level = LogLevel.Warning, Message = "Retention sweep failed; next interval tries again: {Reason}")]
    private partial void LogSweepFailed(Exception exception, string reason);
}
