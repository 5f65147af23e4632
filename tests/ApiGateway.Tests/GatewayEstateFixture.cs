using LogisticsSync.Tests.Shared;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.ApiGateway.Tests;

/// <summary>
/// The gateway, two replicas of it, in front of the orchestrator and its servers, with a version
/// history to test against (v0 retired, v1 deprecated in favour of v2 with a sunset, v2 current) and
/// test clients on a tiny throttling tier, one client per throttling test so their buckets never meet.
/// </summary>
public sealed class GatewayEstateFixture : IAsyncLifetime
{
    public const string Sunset = "2027-06-30T00:00:00Z";

    /// <summary>5 requests of burst, one more per minute: a test's burst never sees a refill.</summary>
    public const string TinyTier = "tiny";
    public const int TinyTokenLimit = 5;
    public const int GatewayReplicas = 2;

    /// <summary>The replica that writes its audit to the console as well as to OTLP.</summary>
    public const int ConsoleAuditReplica = 1;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The API key of a test client on the tiny tier, reading shipments only.</summary>
    public static string TinyClientKey(string clientId) => $"{clientId}-local-test-key";

    public static readonly string[] TinyClients = ["throttleburst", "throttleshared", "throttlefallback"];

    /// <summary>A second client that may release shipments, so idempotency keys can be seen scoped per client.</summary>
    public const string SecondErpClient = "erp-second";
    public const string SecondErpKey = "erp-second-local-test-key";

    public async Task InitializeAsync()
    {
        var builder = await TestEstate.CreateBuilderAsync("--orchestrator-replicas", "1");
        builder.KeepOnly(ResourceNames.Gateway, ResourceNames.Orchestrator);
        var gateway = builder.GetResource<ProjectResource>(ResourceNames.Gateway);
        // The testing builder hands out free ports only, so the gateway's fixed port gives way and
        // each replica gets its own: no change to the model is needed to run two.
        gateway.Replicas = GatewayReplicas;
        gateway.EnvironmentCallbacks.Add(context =>
        {
            context.Variables["Gateway__Versions__v0__Status"] = "Retired";
            context.Variables["Gateway__Versions__v0__Successor"] = "v2";
            context.Variables["Gateway__Versions__v1__Status"] = "Deprecated";
            context.Variables["Gateway__Versions__v1__DeprecatedAt"] = "2026-11-01T00:00:00Z";
            context.Variables["Gateway__Versions__v1__Sunset"] = Sunset;
            context.Variables["Gateway__Versions__v1__Successor"] = "v2";
            context.Variables["Gateway__MaxRequestBodyBytes"] = "8192";
            if (context.Replica == ConsoleAuditReplica)
            {
                context.Variables["Logging__Console__LogLevel__LogisticsSync.ApiGateway.Audit"] = "Information";
            }

            context.Variables["Gateway__Throttling__ReplicasSharingLimit"] = GatewayReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Variables[$"Gateway__Throttling__Tiers__{TinyTier}__TokenLimit"] = TinyTokenLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Variables[$"Gateway__Throttling__Tiers__{TinyTier}__TokensPerPeriod"] = "1";
            context.Variables[$"Gateway__Throttling__Tiers__{TinyTier}__ReplenishmentPeriod"] = "00:01:00";
            context.Variables[$"Gateway__Clients__{SecondErpClient}__KeySha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SecondErpKey)));
            context.Variables[$"Gateway__Clients__{SecondErpClient}__Scopes__0"] = "shipments:write";
            context.Variables[$"Gateway__Clients__{SecondErpClient}__Scopes__1"] = "shipments:read";
            foreach (var clientId in TinyClients)
            {
                context.Variables[$"Gateway__Clients__{clientId}__KeySha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TinyClientKey(clientId))));
                context.Variables[$"Gateway__Clients__{clientId}__Scopes__0"] = "shipments:read";
                context.Variables[$"Gateway__Clients__{clientId}__Tier"] = TinyTier;
            }
        });
        // The orchestrator would otherwise call a WMS and TMS that are not running, opening exceptions in the
        // background: the edge's tests need none of it, and the input corpus checks that nothing changes.
        builder.GetResource<ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
            context.Variables["PartnerWork__Enabled"] = "false");
        App = await builder.StartHealthyAsync();
    }

    // App is null when start-up failed: disposing must not hide that failure.
    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    /// <summary>A client as a partner has it: its API key at most, never the estate's service key.</summary>
    public HttpClient Gateway(string? apiKey, int replica = 0)
    {
        var client = App.CreateKeylessHttpClient(ResourceNames.Gateway, replica);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>The gateway replica's <c>/health</c> report.</summary>
    public async Task<JsonElement> HealthAsync(int replica = 0)
    {
        using var client = Gateway(apiKey: null, replica);
        using var response = await client.GetAsync("/health");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// Stops Redis, waits until the gateway notices (its <c>/health</c> turns Degraded), runs
    /// <paramref name="whileDown"/>, then starts Redis again and waits until every gateway replica is
    /// Healthy, so the next test finds the estate as it was.
    /// </summary>
    public async Task WithRedisStoppedAsync(Func<Task> whileDown)
    {
        await App.ExecuteCommandAsync(ResourceNames.Redis, ResourceCommand.Stop);
        try
        {
            await Eventually.UntilAsync(async () => StatusOf(await HealthAsync()) == "Degraded", TimeSpan.FromSeconds(30), "gateway health Degraded");
            await whileDown();
        }
        finally
        {
            await App.ExecuteCommandAsync(ResourceNames.Redis, ResourceCommand.Start);
            await App.WaitForHealthyAsync(TimeSpan.FromSeconds(60), CancellationToken.None, ResourceNames.Redis);
            for (var replica = 0; replica < GatewayReplicas; replica++)
            {
                var index = replica;
                await Eventually.UntilAsync(async () => StatusOf(await HealthAsync(index)) == "Healthy", TimeSpan.FromSeconds(60), $"gateway replica {index} Healthy again");
            }
        }
    }

    /// <summary>
    /// Waits until every shipment timer already due has fired. The tests release shipments promised for a past date,
    /// so each one's DeliveryLate opens within a poll of its release: work of the timer worker, not of a request, that
    /// must not land between two <see cref="TableCountsAsync"/> of a test that asserts its requests changed nothing.
    /// </summary>
    public async Task DueTimersFiredAsync()
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(App.GetConnectionString(ResourceNames.Database));
        await Eventually.UntilAsync(async () =>
        {
            await using var due = dataSource.CreateCommand("SELECT count(*) FROM shipment_timers WHERE fired_at IS NULL AND due_at <= now() + interval '1 minute'");
            return (long)(await due.ExecuteScalarAsync())! == 0;
        }, TimeSpan.FromSeconds(60), "every shipment timer due within the next minute fired");
    }

    /// <summary>Rows per table of the estate's database: what a request that must change nothing must leave as it found.</summary>
    public async Task<IReadOnlyDictionary<string, long>> TableCountsAsync()
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(App.GetConnectionString(ResourceNames.Database));
        var tables = new List<string>();
        await using (var list = dataSource.CreateCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = dataSource.CreateCommand($"SELECT count(*) FROM \"{table}\"");
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }

        // Changes that keep the row counts: a state moved, a letter replayed, an exception resolved.
        await using var digest = dataSource.CreateCommand("""
            SELECT (SELECT coalesce(sum(version), 0) FROM shipments),
                   (SELECT count(*) FROM dead_letters WHERE replayed_at IS NOT NULL),
                   (SELECT count(*) FROM shipment_exceptions WHERE status <> 'open')
            """);
        await using var digestReader = await digest.ExecuteReaderAsync();
        await digestReader.ReadAsync();
        counts["shipments.versions"] = digestReader.GetInt64(0);
        counts["dead_letters.replayed"] = digestReader.GetInt64(1);
        counts["shipment_exceptions.closed"] = digestReader.GetInt64(2);
        return counts;
    }

    public static string? StatusOf(JsonElement health) => health.GetProperty("status").GetString();

}

/// <summary>One estate for every gateway test class: booting it is most of a test run's time.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayEstateCollection : ICollectionFixture<GatewayEstateFixture>
{
    public const string Name = "gateway estate";
}
