using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Work;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Exceptions;

/// <summary>A kind of problem: who owns it, and which parked work a retry makes due (none for a late delivery).</summary>
internal sealed record ExceptionType(string Name, string OwnerTeam, string? TaskKind);

internal static class ExceptionTypes
{
    /// <summary>A dwell timer fired: the shipment stayed in a state past its limit; owned by the team of the way out (<see cref="OwningTeams"/>).</summary>
    public static readonly ExceptionType ShipmentStuck = new("ShipmentStuck", OwningTeams.IntegrationOperations, null);

    public static readonly ExceptionType BookingDeferred = new("BookingDeferred", "transport-planning", TaskKinds.Tender);
    public static readonly ExceptionType DeliveryLate = new("DeliveryLate", "customer-service", null);
    public static readonly ExceptionType GoodsIssuePostingDelayed = new("GoodsIssuePostingDelayed", "finance", TaskKinds.GoodsIssue);
    public static readonly ExceptionType InvoicePostingDelayed = new("InvoicePostingDelayed", "finance", TaskKinds.Invoice);

    /// <summary>Reconciliation found a drift no heal fixes; opened with the team that owns the drifted step as owner.</summary>
    public static readonly ExceptionType ReconciliationDrift = new("ReconciliationDrift", OwningTeams.IntegrationOperations, null);

    public static readonly IReadOnlyDictionary<string, ExceptionType> ByName =
        new[] { BookingDeferred, DeliveryLate, GoodsIssuePostingDelayed, InvoicePostingDelayed, ReconciliationDrift, ShipmentStuck }.ToDictionary(t => t.Name, StringComparer.Ordinal);
}

internal static class ExceptionStatus
{
    public const string Open = "open";
    public const string Resolved = "resolved";
}

/// <summary>
/// The writes that open and resolve exceptions, as batch commands for the caller's transaction: an exception
/// exists exactly when the state change or the failed call that caused it was recorded.
/// </summary>
internal sealed class ExceptionRecords(IOptionsMonitor<ExceptionOptions> options, TimeProvider time)
{
    /// <summary>
    /// Opens one unless one of the type is open for the shipment (then affects no row). <paramref name="ownerTeam"/>
    /// overrides the type's owner where the case decides who owns it (a stuck shipment: the team of the way out).
    /// </summary>
    public NpgsqlBatchCommand Open(Guid shipmentId, string businessKey, ExceptionType type, string detail, string? ownerTeam = null)
    {
        var now = time.GetUtcNow();
        var sla = options.CurrentValue.Sla.GetValueOrDefault(type.Name, TimeSpan.FromHours(8));
        return new NpgsqlBatchCommand("""
            INSERT INTO shipment_exceptions (id, shipment_id, business_key, type, owner_team, status, sla_due_at, detail, task_kind, opened_at)
            VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9)
            ON CONFLICT (shipment_id, type) WHERE status = 'open' DO NOTHING
            """)
        {
            Parameters =
            {
                new() { Value = Guid.CreateVersion7(now) }, new() { Value = shipmentId }, new() { Value = businessKey },
                new() { Value = type.Name }, new() { Value = ownerTeam ?? type.OwnerTeam }, new() { Value = now + sla }, new() { Value = detail },
                new() { Value = (object?)type.TaskKind ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }, new() { Value = now },
            },
        };
    }

    /// <summary>The latest word on an open exception (say, the last failed retry), without reopening anything.</summary>
    public static NpgsqlBatchCommand Refresh(Guid shipmentId, ExceptionType type, string detail) =>
        new("UPDATE shipment_exceptions SET detail = $3 WHERE shipment_id = $1 AND type = $2 AND status = 'open'")
        {
            Parameters = { new() { Value = shipmentId }, new() { Value = type.Name }, new() { Value = detail } },
        };

    /// <summary>Resolves the open exception of the type, if there is one (then affects one row).</summary>
    public NpgsqlBatchCommand Resolve(Guid shipmentId, ExceptionType type, string resolution) =>
        new("UPDATE shipment_exceptions SET status = 'resolved', resolved_at = $3, resolution = $4 WHERE shipment_id = $1 AND type = $2 AND status = 'open'")
        {
            Parameters = { new() { Value = shipmentId }, new() { Value = type.Name }, new() { Value = time.GetUtcNow() }, new() { Value = resolution } },
        };

    /// <summary>
    /// Resolves the open ShipmentStuck exception unless the shipment is still where it was stuck: a self-transition
    /// (proof of delivery after Delivered) keeps its fired dwell timer for <paramref name="state"/>, and with it the exception.
    /// </summary>
    public NpgsqlBatchCommand ResolveStuckUnlessStill(Guid shipmentId, Shipments.Lifecycle.ShipmentState state, string resolution) =>
        new("""
            UPDATE shipment_exceptions SET status = 'resolved', resolved_at = $3, resolution = $4
            WHERE shipment_id = $1 AND type = $2 AND status = 'open'
              AND NOT EXISTS (SELECT 1 FROM shipment_timers WHERE shipment_id = $1 AND kind = 'dwell' AND state = $5 AND fired_at IS NOT NULL)
            """)
        {
            Parameters =
            {
                new() { Value = shipmentId }, new() { Value = ExceptionTypes.ShipmentStuck.Name }, new() { Value = time.GetUtcNow() },
                new() { Value = resolution }, new() { Value = state.ToString() },
            },
        };
}

/// <summary>Exceptions opened and resolved, by type: counted after the transaction that did it committed.</summary>
internal sealed class ExceptionMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _opened = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.exceptions.opened", description: "Exception records opened, by type");

    private readonly Counter<long> _resolved = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.exceptions.resolved", description: "Exception records resolved, by type and how (automatic or by a person)");

    public void Opened(IEnumerable<string> types)
    {
        foreach (var type in types)
        {
            _opened.Add(1, new KeyValuePair<string, object?>("type", type));
        }
    }

    public void Resolved(string type, bool automatically) =>
        _resolved.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("by", automatically ? "flow" : "operator"));
}
