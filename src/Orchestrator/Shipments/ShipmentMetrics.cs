using System.Diagnostics.Metrics;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>Milestones by outcome and governance violations: counted once the transaction that recorded them committed.</summary>
internal sealed class ShipmentMetrics(IMeterFactory meterFactory)
{
    private readonly Counter<long> _milestones = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.milestones", description: "Milestones received, by outcome");

    private readonly Counter<long> _governanceViolations = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.shipments.governance_violations", description: "Milestones from a system that does not own the transition");

    public void Milestone(MilestoneOutcome outcome)
    {
        var label = outcome.Decision switch
        {
            null => TrailOutcomes.Duplicate,
            LifecycleDecision.Applied => TrailOutcomes.Applied,
            LifecycleDecision.Stale => TrailOutcomes.Stale,
            LifecycleDecision.Rejected rejected => TrailOutcomes.Rejected(rejected.Reason),
            _ => "unknown",
        };
        _milestones.Add(1, new KeyValuePair<string, object?>("outcome", label));
        if (outcome.Decision is LifecycleDecision.Rejected { Reason: RejectionReason.NotOwner })
        {
            _governanceViolations.Add(1);
        }
    }

    /// <summary>A governance violation found outside the transition table (a carrier reporting on another carrier's shipment).</summary>
    public void GovernanceViolation() => _governanceViolations.Add(1);
}
