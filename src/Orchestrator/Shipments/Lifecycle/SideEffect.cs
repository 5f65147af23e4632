namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>
/// What an applied milestone causes besides the state change (docs/flows.md), declared in
/// <see cref="ShipmentLifecycle.Reactions"/>; the writes behind each are <c>LifecycleReactions</c>' named cases.
/// </summary>
public enum SideEffect
{
    /// <summary>Creates the tender task: rates from the TMS, then a tender per quoted carrier until one books.</summary>
    Tender,

    /// <summary>Creates the goods-issue task: posted to the ERP's system API.</summary>
    PostGoodsIssue,

    /// <summary>Creates the invoice task: an invoice trigger to the ERP once the goods issue is posted.</summary>
    TriggerInvoice,

    /// <summary>Resolves the shipment's open BookingDeferred exception.</summary>
    ResolveBookingDeferred,

    /// <summary>Opens a DeliveryLate exception when the carrier's revised ETA is past the promised time.</summary>
    OpenDeliveryLateIfPastPromise,

    /// <summary>Arms the promise timer: not delivered by the promised time, a DeliveryLate exception opens.</summary>
    ArmPromiseTimer,

    /// <summary>Cancels the promise timer: the promise is kept, or moot.</summary>
    CancelPromiseTimer,

    /// <summary>Replaces the dwell timer with the new state's limit (or none): past it, a ShipmentStuck exception opens.</summary>
    ReplaceDwellTimer,

    /// <summary>Resolves the shipment's open ShipmentStuck exception when it left the state it was stuck in.</summary>
    ResolveShipmentStuck,

    /// <summary>
    /// Moves the shipment to Closed (the orchestrator's transition) when nothing is open on it: no open exception, no
    /// pending partner work. Checked as the unit of work commits, after every other write of the transaction.
    /// </summary>
    CloseIfNothingOpen,
}
