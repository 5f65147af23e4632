namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>What the lifecycle makes of one milestone: exactly one of the nested outcomes.</summary>
internal abstract record LifecycleDecision
{
    // Private: the nested records below are the only outcomes there are.
    private LifecycleDecision()
    {
    }

    /// <summary>
    /// The shipment moves to <paramref name="To"/>. <paramref name="Skipped"/> lists the main-path
    /// milestones a forward jump went past, to be recorded as skipped; empty for a direct transition.
    /// </summary>
    public sealed record Applied(ShipmentState To, IReadOnlyList<ShipmentMilestone> Skipped) : LifecycleDecision;

    /// <summary>A late or duplicate milestone: the shipment is already there or further; nothing changes.</summary>
    public sealed record Stale : LifecycleDecision;

    public sealed record Rejected(RejectionReason Reason) : LifecycleDecision;
}

internal enum RejectionReason
{
    /// <summary>The transition exists, but the sending system does not own it: a governance violation.</summary>
    NotOwner,

    /// <summary>No transition for this milestone from this state, not even by a forward jump.</summary>
    IllegalTransition,
}
