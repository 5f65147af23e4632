namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>How the orchestrator's record and a partner's disagree (docs/reconciliation.md).</summary>
internal static class DriftKinds
{
    /// <summary>The orchestrator has it (a shipment, a posting, a booking); the partner's system of record does not.</summary>
    public const string MissingAtPartner = "missing-at-partner";

    /// <summary>The partner has it; the orchestrator does not.</summary>
    public const string MissingHere = "missing-here";

    /// <summary>The partner is further on: the orchestrator did not hear (a lost confirmation or status).</summary>
    public const string StateBehind = "state-behind";

    /// <summary>The orchestrator is further on than the partner that owns the step.</summary>
    public const string StateAhead = "state-ahead";

    /// <summary>Both have the record, a value differs (quantity ordered, booking reference, carrier).</summary>
    public const string AmountMismatch = "amount-mismatch";
}

/// <summary>What reconciliation may do by itself: only calls that are safe to repeat, against the partner that owns the step.</summary>
internal enum Heal
{
    None,

    /// <summary>The goods issue posted again to the ERP (idempotent per order).</summary>
    ResendGoodsIssue,

    /// <summary>The invoice trigger posted again to the ERP (idempotent per order).</summary>
    ResendInvoice,

    /// <summary>The WMS asked to send its confirmations again (same event ids: the inbox absorbs repeats).</summary>
    ResendConfirmations,

    /// <summary>The carrier asked to push its tracking statuses again (the adapter dedupes by the carrier's event id).</summary>
    PushTracking,

    /// <summary>The shipment's released event published again, for a WMS that never received it.</summary>
    RepublishReleased,
}

/// <summary>What a run did about a finding, as stored in <c>reconciliation_findings.action</c>.</summary>
internal static class FindingActions
{
    public const string Healed = "healed";
    public const string HealPending = "heal-pending";
    public const string HealFailed = "heal-failed";
    public const string Exception = "exception";
}

/// <summary>
/// One disagreement between the orchestrator and a partner about one shipment: what each side says, the evidence (both
/// records as read), the heal that fixes it safely, or the team that must act when none does.
/// </summary>
internal sealed record Finding(
    Guid ShipmentId,
    string BusinessKey,
    string Partner,
    string Subject,
    string Drift,
    string Ours,
    string Theirs,
    object Evidence,
    Heal Heal,
    string OwnerTeam);
