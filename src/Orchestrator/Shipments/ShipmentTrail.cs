using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Outbox;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using Npgsql;
using NpgsqlTypes;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// The shipment's event trail (append-only, <c>shipment_events</c>) and the canonical event of an applied
/// milestone, as batch commands for the writing transaction: every decision is recorded, whatever it was.
/// </summary>
internal static class ShipmentTrail
{
    /// <summary>Trail rows for the milestone (and for milestones a forward jump skipped), and the event of an applied one.</summary>
    public static IEnumerable<NpgsqlBatchCommand> Record(Shipment shipment, IncomingMilestone milestone, ShipmentState from, LifecycleDecision decision)
    {
        var fromState = from.ToString();
        if (decision is LifecycleDecision.Applied { Skipped.Count: > 0 } jump)
        {
            foreach (var skipped in jump.Skipped)
            {
                yield return Row(shipment.Id, milestone with { Milestone = skipped }, TrailOutcomes.Skipped,
                    fromState, null, $"skipped: {milestone.Milestone.EventName()} arrived first");
            }
        }

        var (outcome, toState, detail) = decision switch
        {
            LifecycleDecision.Applied applied => (TrailOutcomes.Applied, applied.To.ToString(), milestone.Detail),
            LifecycleDecision.Stale => (TrailOutcomes.Stale, null, "late or repeated milestone: state not moved backwards"),
            LifecycleDecision.Rejected rejected => (TrailOutcomes.Rejected(rejected.Reason), null, Describe(rejected, from, milestone)),
            _ => throw new InvalidOperationException($"Unknown decision {decision}."),
        };
        yield return Row(shipment.Id, milestone, outcome, fromState, toState, detail);

        if (decision is LifecycleDecision.Applied done)
        {
            var data = new ShipmentMilestoneEvent(
                shipment.Id, shipment.BusinessKey, shipment.SourceSystem, milestone.Milestone.EventName(), milestone.Source.ToString(),
                fromState, done.To.ToString(), [.. done.Skipped.Select(s => s.EventName())], shipment.Version, milestone.OccurredAt);
            yield return OutboxWriter.Command(CanonicalEvents.Create(shipment.Id, milestone.Milestone.CloudEventType(), shipment.BusinessKey,
                milestone.CorrelationId, milestone.OccurredAt, data));
        }
    }

    public static string Describe(LifecycleDecision.Rejected rejected, ShipmentState fromState, IncomingMilestone milestone) => rejected.Reason switch
    {
        RejectionReason.NotOwner => $"governance violation: {milestone.Source} does not own '{milestone.Milestone.EventName()}' from {fromState}",
        _ => $"'{milestone.Milestone.EventName()}' is not a transition from {fromState}",
    };

    /// <summary>A trail row for something that is no milestone of the lifecycle (a carrier's label created) or that never reached it (a rejected webhook).</summary>
    public static NpgsqlBatchCommand Row(
        Guid shipmentId, string eventId, string milestone, string source, string outcome, string? fromState, string? toState, string? detail,
        string correlationId, DateTimeOffset occurredAt) =>
        new("""
            INSERT INTO shipment_events (shipment_id, event_id, milestone, source_system, outcome, from_state, to_state, detail, correlation_id, occurred_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """)
        {
            Parameters =
            {
                new() { Value = shipmentId },
                new() { Value = eventId },
                new() { Value = milestone },
                new() { Value = source },
                new() { Value = outcome },
                new() { Value = (object?)fromState ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)toState ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = correlationId },
                new() { Value = occurredAt },
            },
        };

    private static NpgsqlBatchCommand Row(Guid shipmentId, IncomingMilestone milestone, string outcome, string? fromState, string? toState, string? detail) =>
        Row(shipmentId, milestone.EventId, milestone.Milestone.EventName(), milestone.Source.ToString(), outcome, fromState, toState, detail,
            milestone.CorrelationId, milestone.OccurredAt);
}
