using LogisticsSync.Tests.Shared;
using System.Globalization;
using System.Net.Http.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Admin;
using LogisticsSync.Simulators.Erp;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Wms;
using Npgsql;

namespace LogisticsSync.AppHost.Tests.EndToEnd;

/// <summary>
/// Every simulator (ERP, WMS, TMS, both carriers) with everything they reach (gateway, one orchestrator replica,
/// PostgreSQL, Redis, RabbitMQ), booted through the testing builder: one estate for the whole project, booted once.
/// The ERP starts in an outage, so nothing is released until a test switches it off through the admin API; the WMS
/// works an hour per real second, the carriers a day in under a second.
/// </summary>
public sealed class OrderToPackEstateFixture : IAsyncLifetime
{
    public const int Seed = 20261123;
    public const int Orders = 30;
    public const double TimeScale = 3600;

    /// <summary>A five-day journey in about 2.2 s.</summary>
    public const double CarrierTimeScale = 200_000;

    /// <summary>Lost responses and resends: duplicates the gateway and orchestrator must absorb.</summary>
    public static readonly FaultProfile ErpFaults = new() { TimeoutRate = 0.2, DuplicateRate = 0.2 };

    public static readonly FaultProfile WmsFaults = new() { DuplicateRate = 0.2, ReorderRate = 0.2, ShortPickRate = 0.15, LateConfirmationRate = 0.1, SplitLineRate = 0.2, DamagedLineRate = 0.05 };

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly Lazy<Task<OrderToPackRun>> _run;

    public OrderToPackEstateFixture() => _run = new(RunOrderToPackAsync);

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>
    /// Switches the ERP's outage off and waits until it has released every order and the WMS has packed
    /// them; once per estate, whichever test asks first (the ERP system API tests need the outage off too).
    /// </summary>
    public Task<OrderToPackRun> OrderToPackAsync() => _run.Value;

    private async Task<OrderToPackRun> RunOrderToPackAsync()
    {
        using var erp = Simulator(ResourceNames.Erp);
        using var wms = Simulator(ResourceNames.Wms);
        var beforeSwitch = (await erp.GetFromJsonAsync<ReleaseReport>("/erp/releases"))!;
        var configured = (await erp.GetFromJsonAsync<FaultProfile>("/admin/faults"))!;
        (await erp.PutAsJsonAsync("/admin/faults", ErpFaults)).EnsureSuccessStatusCode().Dispose();
        await Eventually.UntilAsync(async () => (await erp.GetFromJsonAsync<ReleaseReport>("/erp/releases"))!.Released == Orders, RunTimeout, $"ERP released {Orders} orders");
        await Eventually.UntilAsync(async () => (await wms.GetFromJsonAsync<WarehouseWorkReport>("/wms/work"))!.OrdersPacked == Orders, RunTimeout, $"WMS packed {Orders} orders");
        return new OrderToPackRun(beforeSwitch, configured);
    }

    public async Task InitializeAsync()
    {
        var builder = await TestEstate.CreateBuilderAsync("--orchestrator-replicas", "1");
        // A reference brings nothing along (as in Aspire): every service the run needs is named; the tendering tests call TMS and carriers directly.
        builder.KeepOnly(ResourceNames.Erp, ResourceNames.Wms, ResourceNames.Tms, ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine, ResourceNames.Gateway, ResourceNames.Orchestrator);
        // This run ends at Packed: the orchestrator tenders nothing itself (its tender tasks wait); the tests play its part.
        builder.GetResource<ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context => context.Variables["PartnerWork__Enabled"] = "false");
        Configure(builder, ResourceNames.Erp, ErpFaults, new()
        {
            ["Simulator__Faults__Outage"] = "true",
            ["Simulator__Erp__OrderCount"] = Orders.ToString(CultureInfo.InvariantCulture),
            ["Simulator__Erp__OrdersPerSecond"] = "15",
            ["Simulator__Erp__AttemptTimeout"] = "00:00:00.800",
            ["Simulator__Erp__RetryDelay"] = "00:00:00.050",
        });
        Configure(builder, ResourceNames.Wms, WmsFaults, []);
        foreach (var role in new[] { ResourceNames.Tms, ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine })
        {
            Configure(builder, role, new FaultProfile(), new() { ["Simulator__Carrier__RetryRoundDelay"] = "00:00:00.500" }, CarrierTimeScale);
        }

        App = await builder.StartHealthyAsync();
    }

    private static void Configure(DistributedApplicationBuilder builder, string role, FaultProfile faults, Dictionary<string, string> settings, double timeScale = TimeScale)
    {
        builder.GetResource<ProjectResource>(role).EnvironmentCallbacks.Add(context =>
        {
            context.Variables["Simulator__Seed"] = Seed.ToString(CultureInfo.InvariantCulture);
            context.Variables["Simulator__TimeScale"] = timeScale.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, value) in FaultSettings(faults).Concat(settings))
            {
                context.Variables[name] = value;
            }
        });
    }

    private static IEnumerable<KeyValuePair<string, string>> FaultSettings(FaultProfile faults) => new Dictionary<string, string>
    {
        ["Simulator__Faults__TimeoutRate"] = faults.TimeoutRate.ToString(CultureInfo.InvariantCulture),
        ["Simulator__Faults__DuplicateRate"] = faults.DuplicateRate.ToString(CultureInfo.InvariantCulture),
        ["Simulator__Faults__ReorderRate"] = faults.ReorderRate.ToString(CultureInfo.InvariantCulture),
        ["Simulator__Faults__ShortPickRate"] = faults.ShortPickRate.ToString(CultureInfo.InvariantCulture),
        ["Simulator__Faults__LateConfirmationRate"] = faults.LateConfirmationRate.ToString(CultureInfo.InvariantCulture),
        ["Simulator__Faults__SplitLineRate"] = faults.SplitLineRate.ToString(CultureInfo.InvariantCulture),
        ["Simulator__Faults__DamagedLineRate"] = faults.DamagedLineRate.ToString(CultureInfo.InvariantCulture),
    };

    // App is null when start-up failed: disposing must not hide that failure.
    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    /// <summary>A client for a simulator, with or without its admin key.</summary>
    public HttpClient Simulator(string role, string? adminKey = TestPartnerKeys.SimulatorAdmin)
    {
        var client = App.CreateHttpClient(role);
        if (adminKey is not null)
        {
            client.DefaultRequestHeaders.Add(AdminEndpoints.KeyHeader, adminKey);
        }

        return client;
    }

    /// <summary>Changes a simulator's profile for the duration of <paramref name="whileChanged"/>, then puts back exactly what was there.</summary>
    public static async Task<T> WithFaultsAsync<T>(HttpClient simulator, Action<FaultProfile> change, Func<Task<T>> whileChanged)
    {
        var original = await simulator.GetFromJsonAsync<FaultProfile>("/admin/faults");
        var changed = original!.Clone();
        change(changed);
        (await simulator.PutAsJsonAsync("/admin/faults", changed)).EnsureSuccessStatusCode().Dispose();
        try
        {
            return await whileChanged();
        }
        finally
        {
            (await simulator.PutAsJsonAsync("/admin/faults", original)).EnsureSuccessStatusCode().Dispose();
        }
    }

    /// <inheritdoc cref="WithFaultsAsync{T}(HttpClient, Action{FaultProfile}, Func{Task{T}})"/>
    public static Task WithFaultsAsync(HttpClient simulator, Action<FaultProfile> change, Func<Task> whileChanged) =>
        WithFaultsAsync(simulator, change, async () =>
        {
            await whileChanged();
            return 0;
        });

    public Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object[] parameters) =>
        App.QueryAsync(sql, read, parameters);

}

/// <summary>What the ERP showed before the test switched its outage off.</summary>
public sealed record OrderToPackRun(ReleaseReport BeforeSwitch, FaultProfile ConfiguredErpFaults);

[CollectionDefinition(Name)]
public sealed class OrderToPackEstateCollection : ICollectionFixture<OrderToPackEstateFixture>
{
    public const string Name = "order-to-pack estate";
}
