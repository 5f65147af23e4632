using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Exceptions;

/// <summary>
/// The team that answers for each system's transitions: who owns an exception about a step that system owns in the
/// lifecycle table (a shipment stuck in Packed waits for the TMS's tender: transport planning).
/// </summary>
internal static class OwningTeams
{
    public const string Finance = "finance";
    public const string WarehouseOperations = "warehouse-operations";
    public const string TransportPlanning = "transport-planning";
    public const string CarrierOperations = "carrier-operations";
    public const string IntegrationOperations = "integration-operations";

    public static string Of(EstateSystem system) => system switch
    {
        // The only ERP step a shipment waits on past its release is the invoice.
        EstateSystem.Erp => Finance,
        EstateSystem.Wms => WarehouseOperations,
        EstateSystem.Tms => TransportPlanning,
        EstateSystem.Carrier => CarrierOperations,
        _ => IntegrationOperations,
    };
}
