using LogisticsSync.Tests.Shared;
using LogisticsSync.Dashboard;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Processes;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests;

/// <summary>The whole estate of the AppHost's Program, booted once for these tests on real servers.</summary>
public sealed class EstateFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await TestEstate.CreateBuilderAsync();
        App = await builder.StartHealthyAsync();
    }

    // App is null when start-up failed: disposing must not hide that failure.
    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);
}

public sealed class EstateTests(EstateFixture estate, ITestOutputHelper output) : IClassFixture<EstateFixture>, IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public void Start_WholeEstate_EveryResourceHealthy()
    {
        var snapshots = estate.App.GetSnapshots();

        Assert.All(snapshots, s => Assert.Equal(ResourceState.Healthy, s.State));
        Assert.Equal(2, snapshots.Single(s => s.Name == ResourceNames.Orchestrator).Replicas.Count);
    }

    [Fact]
    public async Task Gateway_ApiRequest_ReachesEveryOrchestratorReplicaWhichReachesPostgres()
    {
        using var gateway = estate.App.CreateHttpClient(ResourceNames.Gateway);
        gateway.DefaultRequestHeaders.Add("X-Api-Key", TestPartnerKeys.Portal);
        var instances = new HashSet<string>();

        // PowerOfTwoChoices picks at random between idle replicas: ask until both answered, within a bound
        // that makes an unlucky draw (2 x 2^-40) no reason to fail.
        for (var i = 0; i < 40 && instances.Count < 2; i++)
        {
            using var response = await gateway.GetAsync("/api/v1/estate/ping");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ping = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(ResourceNames.Orchestrator, ping.GetProperty("service").GetString());
            Assert.StartsWith("15.", ping.GetProperty("postgres").GetString(), StringComparison.Ordinal);
            instances.Add(ping.GetProperty("instance").GetString()!);
        }

        Assert.Equal(["orchestrator-0", "orchestrator-1"], instances.Order());
        // A cluster of discovered replicas without a policy makes YARP warn on every request it forwards.
        Assert.DoesNotContain(estate.App.Logs.Tail(ResourceNames.Gateway), l => l.Text.Contains("load balancing may not be configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Orchestrator_Health_ReportsAllThreeServers()
    {
        using var orchestrator = estate.App.CreateHttpClient(ResourceNames.Orchestrator);

        var health = await orchestrator.GetFromJsonAsync<JsonElement>("/health");

        var entries = health.GetProperty("entries");
        foreach (var server in new[] { ResourceNames.Database, ResourceNames.Redis, ResourceNames.RabbitMQ })
        {
            Assert.Equal("Healthy", entries.GetProperty(server).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task KillCommand_OrchestratorReplica_EngineRestartsItWithANewPid()
    {
        var before = estate.App.GetSnapshot(ResourceNames.Orchestrator).Replicas[0];

        await estate.App.ExecuteCommandAsync(ResourceNames.Orchestrator, ResourceCommand.Kill, replica: 0);
        await WaitUntilAsync(() => estate.App.GetSnapshot(ResourceNames.Orchestrator).Replicas[0] is { State: ResourceState.Healthy, Pid: { } pid } && pid != before.Pid);

        var after = estate.App.GetSnapshot(ResourceNames.Orchestrator).Replicas[0];
        Assert.Equal(before.Restarts + 1, after.Restarts);
        Assert.False(ProcessTable.IsAlive(before.Pid!.Value));
        Assert.Contains(estate.App.Logs.Tail(ResourceNames.Orchestrator), l => l.Text.Contains("restart #", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ControlApi_WithToken_ListsResourcesAndRunsCommands()
    {
        using var control = new HttpClient { BaseAddress = estate.App.DashboardUrl };
        using var anonymous = await control.GetAsync("/api/resources");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", estate.App.ControlToken);
        var resources = await control.GetFromJsonAsync<JsonElement>("/api/resources");
        Assert.Contains(resources.EnumerateArray(), r => r.GetProperty("name").GetString() == ResourceNames.RabbitMQ);

        using var restart = await control.PostAsync($"/api/resources/{ResourceNames.CarrierParcelFast}/commands/restart", null);
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(60), default, ResourceNames.CarrierParcelFast);

        using var unknownCommand = await control.PostAsync($"/api/resources/{ResourceNames.Erp}/commands/explode", null);
        Assert.Equal(HttpStatusCode.BadRequest, unknownCommand.StatusCode);
        using var unknownResource = await control.GetAsync("/api/resources/nope/logs");
        Assert.Equal(HttpStatusCode.NotFound, unknownResource.StatusCode);
    }

    [Fact]
    public async Task Services_ExportTelemetry_ToTheAppHostWithTheirKey()
    {
        using var gateway = estate.App.CreateHttpClient(ResourceNames.Gateway);
        gateway.DefaultRequestHeaders.Add("X-Api-Key", TestPartnerKeys.Portal);
        (await gateway.GetAsync("/api/v1/estate/ping")).Dispose();

        await WaitUntilAsync(() => estate.App.TelemetryReceived.TryGetValue("metrics", out var metrics) && metrics.Batches > 0
            && estate.App.TelemetryReceived.ContainsKey("traces"));

        using var otlp = new HttpClient { BaseAddress = estate.App.DashboardUrl };
        using var withoutKey = await otlp.PostAsync("/v1/traces", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }

    public void Dispose() => _logs.Dispose();

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(60), "the condition");
}
