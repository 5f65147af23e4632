using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>What applying one milestone did to a shipment; no decision when the inbox had seen the event already.</summary>
internal sealed record MilestoneOutcome(Shipment Shipment, LifecycleDecision? Decision)
{
    public bool IsDuplicateDelivery => Decision is null;
}
