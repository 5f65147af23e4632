namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>The systems that can own a lifecycle transition.</summary>
public enum SourceSystem
{
    Erp,
    Wms,
    Tms,
    Carrier,
    Orchestrator,
}
