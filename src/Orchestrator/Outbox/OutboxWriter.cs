using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Data;
using LogisticsSync.Orchestrator.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Outbox;

/// <summary>Adds events to the outbox inside the caller's transaction (as part of its batch): they exist exactly when the state change does.</summary>
internal static class OutboxWriter
{
    /// <summary>The row, with the trace context of the activity current now: the publish continues that trace.</summary>
    public static NpgsqlBatchCommand Command(OutgoingEvent outgoing)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO outbox (event_id, shipment_id, event_type, routing_key, body, traceparent, tracestate) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        {
            Parameters =
            {
                new() { Value = outgoing.EventId },
                new() { Value = outgoing.ShipmentId },
                new() { Value = outgoing.Type },
                new() { Value = outgoing.Type },
                new() { Value = outgoing.Body, NpgsqlDbType = NpgsqlDbType.Bytea },
            },
        };
        command.Parameters.AddRange(TraceColumns.Current().ToArray());
        return command;
    }
}

/// <summary>Wakes the dispatcher as soon as a local transaction committed outbox rows, instead of waiting for its next poll.</summary>
internal sealed class OutboxSignal : WakeSignal;

/// <summary>Wakes a worker backing off after broker failures as soon as automatic recovery has the connection back.</summary>
internal sealed class BrokerRecoveredSignal : WakeSignal
{
    public BrokerRecoveredSignal(RabbitMQ.Client.IConnection connection) =>
        connection.RecoverySucceededAsync += (_, _) =>
        {
            Notify();
            return Task.CompletedTask;
        };
}

/// <summary>The outbox lag metric: age of the oldest unsent row, as of when the gauge is read.</summary>
internal sealed class OutboxLag
{
    private long _oldestUnsentTicks;

    public OutboxLag(IMeterFactory meterFactory, TimeProvider time) =>
        meterFactory.Create(OrchestratorMetrics.MeterName).CreateObservableGauge(
            "logistics.outbox.lag",
            () => Interlocked.Read(ref _oldestUnsentTicks) is var ticks and > 0
                ? Math.Max(0, (time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero)).TotalSeconds)
                : 0,
            unit: "s",
            description: "Age of the oldest unsent outbox row");

    public void Record(DateTimeOffset? oldestUnsent) => Interlocked.Exchange(ref _oldestUnsentTicks, oldestUnsent?.UtcTicks ?? 0);
}
