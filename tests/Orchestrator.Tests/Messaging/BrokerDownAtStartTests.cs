using System.Diagnostics;
using System.Net;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Messaging;

/// <summary>
/// A replica (re)started while RabbitMQ is down: it starts anyway, is alive and serves the API (a release is accepted
/// into the outbox), its health says the broker is not connected, it does not exit and get restarted over it (it used to give
/// up after ~30 s of retries, exit 134 and crash-loop), and once the broker is back it connects, declares the topology,
/// subscribes and publishes what waited.
/// </summary>
public sealed class BrokerDownAtStartTests(OrchestratorEstateFixture estate, ITestOutputHelper output) : IClassFixture<OrchestratorEstateFixture>, IDisposable
{
    private const int Restarted = 1;

    // A broker start takes 5-8 s on a quiet box and has taken over 45 s on a shared one.
    private static readonly TimeSpan BrokerBackTimeout = TimeSpan.FromSeconds(90);
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task ReplicaRestartedWhileBrokerDown_ServesReleases_ReportsBrokerUnhealthy_ConnectsAndPublishesOnceBack()
    {
        var clock = Stopwatch.StartNew();
        await estate.App.ExecuteCommandAsync(ResourceNames.RabbitMQ, ResourceCommand.Stop);
        var key = $"SO-LAZY-{Guid.NewGuid():N}"[..24];
        ReplicaSnapshot? restarted = null;
        try
        {
            var before = Replica();
            await estate.App.ExecuteCommandAsync(ResourceNames.Orchestrator, ResourceCommand.Kill, Restarted);
            await Eventually.UntilAsync(() => Replica() is { State: ResourceState.Running } now && now.Pid != before.Pid, TimeSpan.FromSeconds(30), "the replica running again");
            restarted = Replica();
            output.WriteLine($"replica {Restarted} restarted (pid {restarted.Pid}) at {clock.Elapsed.TotalSeconds:0.0} s");

            // Serving: the schema is there, the broker is not; the release waits in the outbox.
            using var client = estate.Replica(Restarted);
            await Eventually.UntilAsync(async () => await client.StatusOnceListeningAsync(Release(ReleaseBody(key), key)) == HttpStatusCode.Created, TimeSpan.FromSeconds(30), "a release accepted by the restarted replica");

            using (var alive = await client.GetAsync("/alive"))
            {
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            }

            var rabbit = await client.HealthEntryAsync(ResourceNames.RabbitMQ);
            Assert.Equal("Unhealthy", rabbit.GetProperty("status").GetString());
            Assert.Contains("not connected", rabbit.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, await estate.CountAsync(
                "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key = $1 AND o.published_at IS NULL", key));

            // A few probes later it is still the same process, never healthy (so not in rotation as healthy), never restarted.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal((restarted.Pid, restarted.Restarts, ResourceState.Running), (Replica().Pid, Replica().Restarts, Replica().State));
            output.WriteLine($"served while the broker was down, at {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            await estate.App.ExecuteCommandAsync(ResourceNames.RabbitMQ, ResourceCommand.Start);
        }

        await estate.App.WaitForHealthyAsync(BrokerBackTimeout, CancellationToken.None, ResourceNames.RabbitMQ, ResourceNames.Orchestrator);
        output.WriteLine($"estate healthy again at {clock.Elapsed.TotalSeconds:0.0} s");
        await WaitUntilAsync(async () => await estate.CountAsync(
            "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key = $1 AND o.published_at IS NOT NULL", key) == 1);
        using (var after = estate.Replica(Restarted))
        {
            Assert.Equal("Healthy", (await after.HealthEntryAsync(ResourceNames.RabbitMQ)).GetProperty("status").GetString());
        }
        // The same process all along: it connected in the background rather than being restarted into a broker that was back.
        Assert.NotNull(restarted);
        Assert.Equal(restarted.Pid, Replica().Pid);
        Assert.Equal(restarted.Restarts, Replica().Restarts);
        output.WriteLine($"published at {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private ReplicaSnapshot Replica() => estate.App.GetSnapshot(ResourceNames.Orchestrator).Replicas[Restarted];
}
