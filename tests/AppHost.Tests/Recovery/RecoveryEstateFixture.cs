using LogisticsSync.Tests.Shared;
using System.Globalization;
using System.Net.Http.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Admin;
using LogisticsSync.Simulators.Erp;
using LogisticsSync.Simulators.Faults;
using Npgsql;

namespace LogisticsSync.AppHost.Tests.Recovery;

/// <summary>
/// ERP, gateway, one orchestrator replica and the WMS with PostgreSQL, Redis and RabbitMQ, at a time scale where an
/// order is packed within about a second of its release: at 25 releases a second some 20 orders are in the warehouse's
/// hands, and it publishes confirmations all the time, so a kill always finds publishes and deliveries in flight. The ERP releases without end but starts in an outage:
/// each test opens it for a burst of orders, breaks a server in the middle, closes it again and waits for every
/// order it released to be packed. The flow ends at Packed (no tendering), so a test's orders settle quickly.
/// </summary>
public sealed class RecoveryEstateFixture : IAsyncLifetime
{
    public const int Seed = 20261204;
    public const double TimeScale = 3600;

    /// <summary>How long a killed or stopped server may take to be back: a broker start takes 5-8 s on a quiet box and has taken over 45 s on this one shared by several test runs.</summary>
    public static readonly TimeSpan ServerBackTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Health probes run every 2 s and two failures turn a resource Unhealthy; the stuck-progress thresholds sit below the outage.</summary>
    private static readonly Dictionary<string, string> FastHealth = new()
    {
        ["Recovery__ConsumerStallThreshold"] = "00:00:03",
        ["Recovery__OutboxStuckThreshold"] = "00:00:03",
    };

    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await TestEstate.CreateBuilderAsync("--orchestrator-replicas", "1");
        builder.KeepOnly(ResourceNames.Erp, ResourceNames.Wms, ResourceNames.Gateway, ResourceNames.Orchestrator);
        Configure(builder, ResourceNames.Orchestrator, new(FastHealth) { ["PartnerWork__Enabled"] = "false" });
        Configure(builder, ResourceNames.Wms, new(FastHealth) { ["Simulator__Seed"] = Invariant(Seed), ["Simulator__TimeScale"] = Invariant(TimeScale) });
        Configure(builder, ResourceNames.Erp, new()
        {
            ["Simulator__Seed"] = Invariant(Seed),
            ["Simulator__TimeScale"] = Invariant(TimeScale),
            ["Simulator__Faults__Outage"] = "true",
            ["Simulator__Erp__OrdersPerSecond"] = "25",
            ["Simulator__Erp__AttemptTimeout"] = "00:00:01",
            ["Simulator__Erp__RetryDelay"] = "00:00:00.100",
        });
        App = await builder.StartHealthyAsync();
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Configure(DistributedApplicationBuilder builder, string resource, Dictionary<string, string> variables) =>
        builder.GetResource<ProjectResource>(resource).EnvironmentCallbacks.Add(context =>
        {
            foreach (var (name, value) in variables)
            {
                context.Variables[name] = value;
            }
        });

    // App is null when start-up failed: disposing must not hide that failure.
    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    public HttpClient Erp()
    {
        var client = App.CreateHttpClient(ResourceNames.Erp);
        client.DefaultRequestHeaders.Add(AdminEndpoints.KeyHeader, TestPartnerKeys.SimulatorAdmin);
        return client;
    }

    /// <summary>Opens or closes the ERP's release valve (its outage fault).</summary>
    public async Task SetReleasingAsync(bool releasing)
    {
        using var erp = Erp();
        (await erp.PutAsJsonAsync("/admin/faults", new FaultProfile { Outage = !releasing })).EnsureSuccessStatusCode().Dispose();
    }

    public async Task<ReleaseReport> ReleasesAsync()
    {
        using var erp = Erp();
        return (await erp.GetFromJsonAsync<ReleaseReport>("/erp/releases"))!;
    }

    /// <summary>The worst state each named resource showed while <paramref name="watching"/> runs, and its last one.</summary>
    public HealthWatch WatchHealth(params string[] resources) => new(App, resources);

    public Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object[] parameters) =>
        App.QueryAsync(sql, read, parameters);
}

/// <summary>Samples resource states every 200 ms (the engine probes every 2 s), remembering each state seen.</summary>
public sealed class HealthWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private readonly Dictionary<string, HashSet<ResourceState>> _seen;

    public HealthWatch(DistributedApplication app, string[] resources)
    {
        _seen = resources.ToDictionary(r => r, _ => new HashSet<ResourceState>());
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var resource in resources)
                {
                    lock (_seen)
                    {
                        _seen[resource].Add(app.GetSnapshot(resource).State);
                    }
                }

                await Task.Delay(200, CancellationToken.None);
            }
        });
    }

    public bool Saw(string resource, ResourceState state)
    {
        lock (_seen)
        {
            return _seen[resource].Contains(state);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RecoveryEstateCollection : ICollectionFixture<RecoveryEstateFixture>
{
    public const string Name = "recovery estate";
}
