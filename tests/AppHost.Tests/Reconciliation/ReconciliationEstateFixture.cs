using LogisticsSync.Hosting;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.AppHost.Tests.FullFlow;

namespace LogisticsSync.AppHost.Tests.Reconciliation;

[CollectionDefinition(Name)]
public sealed class ReconciliationEstateCollection : ICollectionFixture<ReconciliationEstateFixture>
{
    public const string Name = "reconciliation estate";
}

/// <summary>
/// The whole estate with only the silent-loss knobs on: the ERP loses invoice triggers, the WMS loses an order's
/// confirmations, the carriers lose statuses, all drawn from the seed. Nothing else misbehaves, so every finding
/// reconciliation makes must be one of those losses. Runs are on demand only (no schedule) and compare every shipment
/// quiet for a second.
/// </summary>
public sealed class ReconciliationEstateFixture : FullFlowEstateFixture
{
    public const int OrderCount = 60;

    private static readonly Dictionary<string, object> CarrierFaults = new() { ["lostStatusRate"] = 0.1 };

    protected override int Seed => 20261205;

    protected override int Orders => OrderCount;

    public override IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> Faults { get; } = new Dictionary<string, IReadOnlyDictionary<string, object>>
    {
        [ResourceNames.Erp] = new Dictionary<string, object> { ["lostInvoiceRate"] = 0.15 },
        [ResourceNames.Wms] = new Dictionary<string, object> { ["lostConfirmationRate"] = 0.1 },
        [ResourceNames.Tms] = new Dictionary<string, object>(),
        [ResourceNames.CarrierParcelFast] = CarrierFaults,
        [ResourceNames.CarrierFreightLine] = CarrierFaults,
    };

    public string KeyPrefix => $"SO-{Seed:x8}-";

    protected override void ConfigureOrchestrator(DistributedApplicationBuilder builder)
    {
        base.ConfigureOrchestrator(builder);
        Configure(builder, ResourceNames.Orchestrator, new Dictionary<string, string>
        {
            ["Reconciliation__Interval"] = "00:00:00",
            ["Reconciliation__QuietPeriod"] = "00:00:01",
            ["Reconciliation__HealGracePeriod"] = "00:10:00",
        });
    }
}
