using System.Net;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests.Recovery;

/// <summary>
/// The WMS and the orchestrator restarted while RabbitMQ is down: both start, are alive and report the broker not
/// connected, without exiting (they used to give up after ~30 s, exit 134 and crash-loop); once the broker is back the
/// same processes connect, the orchestrator declares the topology, the WMS subscribes, and orders flow to Packed.
/// </summary>
[Collection(RecoveryEstateCollection.Name)]
public sealed class BrokerDownAtStartTests(RecoveryEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Users = [ResourceNames.Wms, ResourceNames.Orchestrator];
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task ServicesRestartedWhileBrokerDown_StayUpUnhealthy_ThenConnectAndFlowOnceBack()
    {
        await estate.App.WaitForHealthyAsync(RecoveryEstateFixture.ServerBackTimeout, CancellationToken.None, [ResourceNames.RabbitMQ, .. Users]);
        await estate.App.ExecuteCommandAsync(ResourceNames.RabbitMQ, ResourceCommand.Stop);
        Dictionary<string, ReplicaSnapshot> restarted = [];
        try
        {
            foreach (var user in Users)
            {
                var before = Replica(user);
                await estate.App.ExecuteCommandAsync(user, ResourceCommand.Kill);
                await Eventually.UntilAsync(() => Replica(user) is { State: ResourceState.Running } now && now.Pid != before.Pid, TimeSpan.FromSeconds(30), $"{user} running again");
                restarted[user] = Replica(user);
            }

            foreach (var user in Users)
            {
                using var client = estate.App.CreateHttpClient(user);
                await Eventually.UntilAsync(async () => await client.StatusOnceListeningAsync(new HttpRequestMessage(HttpMethod.Get, "/alive")) == HttpStatusCode.OK, TimeSpan.FromSeconds(30), $"{user} alive");
                var rabbit = await client.HealthEntryAsync(ResourceNames.RabbitMQ);
                Assert.Equal("Unhealthy", rabbit.GetProperty("status").GetString());
                Assert.Contains("not connected", rabbit.GetProperty("description").GetString(), StringComparison.Ordinal);
            }

            // A few probes later each is still the same process: no exit, no restart.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.All(Users, user => Assert.Equal((restarted[user].Pid, restarted[user].Restarts), (Replica(user).Pid, Replica(user).Restarts)));
        }
        finally
        {
            await estate.App.ExecuteCommandAsync(ResourceNames.RabbitMQ, ResourceCommand.Start);
        }

        await estate.App.WaitForHealthyAsync(RecoveryEstateFixture.ServerBackTimeout, CancellationToken.None, [ResourceNames.RabbitMQ, .. Users]);
        Assert.All(Users, user => Assert.Equal(restarted[user].Pid, Replica(user).Pid));
        await ReleaseAndPackAsync(10);
    }

    /// <summary>Orders released now go out through the orchestrator's outbox and come back packed by the WMS.</summary>
    private async Task ReleaseAndPackAsync(int orders)
    {
        var releasedBefore = (await estate.ReleasesAsync()).Released;
        await estate.SetReleasingAsync(true);
        await Eventually.UntilAsync(async () => (await estate.ReleasesAsync()).Released >= releasedBefore + orders, RecoveryEstateFixture.ServerBackTimeout, $"{orders} orders released");
        await estate.SetReleasingAsync(false);
        await Eventually.UntilAsync(async () => (await estate.ReleasesAsync()).Pending == 0, RecoveryEstateFixture.ServerBackTimeout, "every started release answered");
        var keys = (await estate.ReleasesAsync()).Releases.Select(r => r.BusinessKey).ToArray();
        await Eventually.UntilAsync(async () => (await estate.QueryAsync(
            "SELECT count(*) FROM shipments WHERE source_system = 'erp' AND business_key = ANY($1) AND state <> 'Packed'",
            r => r.GetInt64(0), [keys])).Single() == 0, TimeSpan.FromSeconds(40), $"all {keys.Length} released orders Packed");
    }

    private ReplicaSnapshot Replica(string resource) => estate.App.GetSnapshot(resource).Replicas[0];
}
