using LogisticsSync.Tests.Shared;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Admin;
using Npgsql;

namespace LogisticsSync.AppHost.Tests.FullFlow;

/// <summary>
/// The whole estate as the AppHost declares it — gateway, two orchestrator replicas, PostgreSQL, Redis, RabbitMQ,
/// ERP, WMS, TMS and both carriers — booted through the testing builder with one seed and a time scale at which a
/// transit day takes a few real seconds. The ERP starts releasing its seeded orders as soon as it is up, as in
/// <c>./run.sh</c>'s estate; scenarios that change fault profiles release orders of their own beside them.
/// </summary>
public class FullFlowEstateFixture : IAsyncLifetime
{
    public const int DefaultSeed = 20261124;

    /// <summary>Simulated seconds per real second: a day of transit in 4.3 s, a 30-minute pick in 0.1 s.</summary>
    public const double TimeScale = 20_000;

    /// <summary>Terminal states of the lifecycle a settled shipment may be in without an open exception.</summary>
    public static readonly string[] Settled = ["Invoiced", "Closed", "Cancelled"];

    public static readonly string[] Simulators = [ResourceNames.Erp, ResourceNames.Wms, ResourceNames.Tms, ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine];

    public DistributedApplication App { get; private set; } = null!;

    protected virtual int Seed => DefaultSeed;

    /// <summary>How many orders the ERP releases.</summary>
    protected virtual int Orders => 200;

    /// <summary>Each simulator's fault profile at start.</summary>
    public virtual IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> Faults { get; } = ModerateFaults;

    private static readonly Dictionary<string, object> CarrierFaults = new()
    {
        ["duplicateRate"] = 0.05, ["reorderRate"] = 0.05, ["tenderRejectionRate"] = 0.1, ["delayRate"] = 0.1, ["failedAttemptRate"] = 0.05,
    };

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> ModerateFaults = new Dictionary<string, IReadOnlyDictionary<string, object>>
    {
        [ResourceNames.Erp] = new Dictionary<string, object> { ["timeoutRate"] = 0.05, ["duplicateRate"] = 0.05, ["errorRate"] = 0.05 },
        [ResourceNames.Wms] = new Dictionary<string, object> { ["duplicateRate"] = 0.05, ["reorderRate"] = 0.05, ["shortPickRate"] = 0.05, ["lateConfirmationRate"] = 0.05 },
        [ResourceNames.Tms] = new Dictionary<string, object> { ["errorRate"] = 0.02 },
        [ResourceNames.CarrierParcelFast] = CarrierFaults,
        [ResourceNames.CarrierFreightLine] = CarrierFaults,
    };

    public async Task InitializeAsync()
    {
        var builder = await TestEstate.CreateBuilderAsync("--orchestrator-replicas", "2");
        foreach (var role in Simulators)
        {
            var variables = new Dictionary<string, string>
            {
                ["Simulator__Seed"] = Seed.ToString(CultureInfo.InvariantCulture),
                ["Simulator__TimeScale"] = TimeScale.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (knob, value) in Faults[role])
            {
                variables[$"Simulator__Faults__{char.ToUpperInvariant(knob[0])}{knob[1..]}"] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            }

            if (role == ResourceNames.Erp)
            {
                variables["Simulator__Erp__OrderCount"] = Orders.ToString(CultureInfo.InvariantCulture);
                variables["Simulator__Erp__OrdersPerSecond"] = "25";
                variables["Simulator__Erp__AttemptTimeout"] = "00:00:01";
                variables["Simulator__Erp__RetryDelay"] = "00:00:00.050";
            }

            Configure(builder, role, variables);
        }

        ConfigureOrchestrator(builder);
        App = await builder.StartHealthyAsync();
    }

    /// <summary>The orchestrator's partner retries at test speed: a parked tender or invoice is tried again within a second or two.</summary>
    protected virtual void ConfigureOrchestrator(DistributedApplicationBuilder builder) =>
        Configure(builder, ResourceNames.Orchestrator, new Dictionary<string, string>
        {
            ["PartnerWork__RetryDelay"] = "00:00:00.500",
            ["PartnerWork__MaxRetryDelay"] = "00:00:02",
            ["PartnerWork__PostingDelayedAfter"] = "00:00:03",
            ["Partners__tms__BreakDuration"] = "00:00:02",
            ["Partners__erp__BreakDuration"] = "00:00:02",
        });

    protected static void Configure(DistributedApplicationBuilder builder, string resource, IReadOnlyDictionary<string, string> variables) =>
        builder.GetResource<ProjectResource>(resource).EnvironmentCallbacks.Add(context =>
        {
            foreach (var (name, value) in variables)
            {
                context.Variables[name] = value;
            }
        });

    // App is null when start-up failed: disposing must not hide that failure.
    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    /// <summary>A simulator's client with its admin key.</summary>
    public HttpClient Simulator(string role)
    {
        var client = App.CreateHttpClient(role);
        client.DefaultRequestHeaders.Add(AdminEndpoints.KeyHeader, TestPartnerKeys.SimulatorAdmin);
        return client;
    }

    /// <summary>A gateway client with a partner's key.</summary>
    public HttpClient Gateway(string apiKey)
    {
        var client = App.CreateHttpClient(ResourceNames.Gateway);
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Replaces a simulator's fault profile: the knobs given, every other one off.</summary>
    public async Task SetFaultsAsync(string role, IReadOnlyDictionary<string, object> faults)
    {
        using var simulator = Simulator(role);
        using var response = await simulator.PutAsJsonAsync("/admin/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> GetAsync(string role, string path)
    {
        using var simulator = Simulator(role);
        return await simulator.GetFromJsonAsync<JsonElement>(path);
    }

    public Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object[] parameters) =>
        App.QueryAsync(sql, read, parameters);

    /// <summary>
    /// Shipments whose business key starts with <paramref name="keyPrefix"/> that are not settled yet: neither in a
    /// terminal state nor holding an open exception.
    /// </summary>
    public Task<List<string>> UnsettledAsync(string keyPrefix) => QueryAsync(
        """
        SELECT s.business_key || ' ' || s.state FROM shipments s
        WHERE starts_with(s.business_key, $1) AND NOT s.state = ANY($2)
          AND NOT EXISTS (SELECT 1 FROM shipment_exceptions x WHERE x.shipment_id = s.id AND x.status = 'open')
        ORDER BY s.business_key
        """, r => r.GetString(0), keyPrefix, Settled);

    /// <summary>Both carriers have finished every journey they booked and have no webhook left to deliver.</summary>
    public async Task<bool> CarriersIdleAsync()
    {
        foreach (var carrier in new[] { ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine })
        {
            var journeys = await GetAsync(carrier, "/carrier/journeys");
            if (journeys.GetProperty("journeys").GetInt32() != journeys.GetProperty("completed").GetInt32()
                || journeys.GetProperty("webhooks").GetProperty("pending").GetInt64() != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Shipments per state for the keys.</summary>
    public async Task<Dictionary<string, long>> StatesAsync(string keyPrefix) =>
        (await QueryAsync("SELECT state, count(*) FROM shipments WHERE starts_with(business_key, $1) GROUP BY state",
            r => (State: r.GetString(0), Count: r.GetInt64(1)), keyPrefix)).ToDictionary(s => s.State, s => s.Count);
}
