using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Data;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.ServiceDefaults.Messaging;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Tracing;
using Npgsql;
using RabbitMQ.Client;

namespace LogisticsSync.Orchestrator.Outbox;

/// <summary>
/// Publishes outbox rows to RabbitMQ with publisher confirms and marks them sent only once the broker
/// confirmed them, in the same transaction that claimed them. Replicas claim rows with
/// <c>FOR UPDATE SKIP LOCKED</c>; only the oldest unsent row of each shipment is claimable, so a
/// shipment's events go out in order even with several dispatchers. A crash between confirm and
/// commit publishes a row again: consumers dedupe by event id (at-least-once, never lost). With the broker down
/// since start-up it waits for the first connection: releases are still accepted (the rows wait here) and go out
/// once the broker answers.
/// </summary>
internal sealed partial class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBrokerConnection connection,
    OutboxSignal signal,
    OutboxLag lag,
    OutboxProgress progress,
    BrokerProgress brokerProgress,
    Microsoft.Extensions.Options.IOptions<OutboxOptions> options,
    Microsoft.Extensions.Options.IOptions<BrokerProgressOptions> brokerOptions,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const string ClaimSql = """
        SELECT o.id, o.event_id, o.event_type, o.routing_key, o.body,
               (SELECT min(created_at) FROM outbox WHERE published_at IS NULL) AS oldest_unsent,
               o.traceparent, o.tracestate
        FROM outbox o
        WHERE o.published_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM outbox earlier
                          WHERE earlier.shipment_id = o.shipment_id AND earlier.published_at IS NULL AND earlier.id < o.id)
        ORDER BY o.id
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        """;

    private readonly Counter<long> _published = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.outbox.published", description: "Outbox events confirmed by the broker");

    // Bounded by ConfirmTimeout, and a failed channel is abandoned rather than reused: see ConfirmingPublisher.
    private readonly ConfirmingPublisher _publisher = new("outbox", connection, brokerProgress, brokerOptions, time, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Claiming rows before there is a broker to publish them to would only hold their locks: wait for it. Rows
        // committed meanwhile wait in the outbox, and its health check reports their age.
        var broker = await connection.GetAsync(stoppingToken);

        // A broker outage runs the back-off up to MaxBackoff; without this, the outbox (and every flow behind it) would
        // stay idle up to that long after the connection came back (10 s measured in a chaos run, on the critical path).
        var recovered = new BrokerRecoveredSignal(broker);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await DispatchBatchAsync(stoppingToken);
                failures = 0;
                if (published < options.Value.BatchSize)
                {
                    // After a wake-up, a moment's pause lets the commits of a busy moment share one batch,
                    // one transaction and one round of confirms, instead of one each.
                    if (await signal.WaitAsync(options.Value.PollInterval, stoppingToken))
                    {
                        await Task.Delay(options.Value.Coalescing, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(options.Value.MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                LogDispatchFailed(exception, delay.TotalSeconds, exception.Message);
                await ((Task)recovered.WaitAsync(delay, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _publisher.DisposeAsync();
    }

    internal async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var rows = new List<OutboxRow>();
        DateTimeOffset? oldestUnsent = null;
        await using (var claim = new NpgsqlCommand(ClaimSql, db, transaction) { Parameters = { new() { Value = options.Value.BatchSize } } })
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), (byte[])reader[4], TraceColumns.Read(reader, 6)));
                oldestUnsent ??= reader.GetFieldValue<DateTimeOffset>(5);
            }
        }

        if (rows.Count == 0)
        {
            // Nothing claimable here does not mean nothing unsent: other replicas may hold rows.
            await using var oldest = new NpgsqlCommand("SELECT min(created_at) FROM outbox WHERE published_at IS NULL", db, transaction);
            lag.Record(await oldest.ExecuteScalarAsync(cancellationToken) is DateTime created ? new DateTimeOffset(created, TimeSpan.Zero) : null);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        lag.Record(oldestUnsent);

        // With confirmation tracking each publish completes when the broker confirms (or throws on a
        // nack or a lost channel); starting them all first keeps a whole batch in flight at once.
        await _publisher.RunAsync(
            (channel, token) => Task.WhenAll(rows.Select(row => PublishAsync(channel, row, token))), options.Value.ConfirmTimeout, cancellationToken);

        await using (var markSent = new NpgsqlCommand(
            "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)", db, transaction)
        { Parameters = { new() { Value = rows.Select(r => r.Id).ToArray() } } })
        {
            await markSent.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _published.Add(rows.Count);
        progress.Published();
        return rows.Count;
    }

    /// <summary>
    /// Publishes one row under a span continuing the trace that wrote it, so the consumers continue it too. The poll that
    /// found the row is not traced (no parent: see NpgsqlClientExtensions); this span starts only for claimed work.
    /// </summary>
    private static async Task PublishAsync(IChannel channel, OutboxRow row, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = row.EventId.ToString(),
            Type = row.Type,
            ContentType = ShipmentEventTypes.ContentType,
            Headers = new Dictionary<string, object?>(),
        };
        using var activity = EstateActivities.StartPublish(row.RoutingKey, row.Trace, properties.Headers);
        await channel.BasicPublishAsync(BrokerTopology.EventsExchange, row.RoutingKey, mandatory: false, properties, row.Body, cancellationToken);
    }

    private sealed record OutboxRow(long Id, Guid EventId, string Type, string RoutingKey, byte[] Body, TraceContext Trace);

    [LoggerMessage(EventId = LogEventIds.OutboxDispatcherDispatchFailed, Level = LogLevel.Warning, Message = "Outbox dispatch failed; next try in {DelaySeconds:0.0} s: {Reason}")]
    private partial void LogDispatchFailed(Exception exception, double delaySeconds, string reason);
}
