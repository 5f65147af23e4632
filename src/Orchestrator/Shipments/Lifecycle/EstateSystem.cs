namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>
/// The systems of the estate that report milestones and own lifecycle transitions (the CloudEvents source
/// <c>urn:logistics-sync:{system}</c>). Not to be confused with a shipment's <c>sourceSystem</c>: the system whose
/// order number its business key is.
/// </summary>
public enum EstateSystem
{
    Erp,
    Wms,
    Tms,
    Carrier,
    Orchestrator,
}
