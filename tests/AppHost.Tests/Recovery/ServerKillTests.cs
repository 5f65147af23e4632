using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests.Recovery;

/// <summary>
/// A server SIGKILLed through the engine's command API in the middle of a release burst: the engine restarts it,
/// and every component that talks to it must pick up where it was, without anyone restarting them by hand.
/// </summary>
[Collection(RecoveryEstateCollection.Name)]
public sealed class ServerKillTests(RecoveryEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan PackedTimeout = TimeSpan.FromSeconds(40);
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    public static TheoryData<string, string[]> Kills => new()
    {
        // The broker is gone for 5-8 s (a restart with the management plugin): long enough for its users' health to turn.
        { ResourceNames.RabbitMQ, [ResourceNames.Wms, ResourceNames.Orchestrator] },
        // PostgreSQL and Redis are back within about a second: too short to require a health turn, not to break a flow.
        { ResourceNames.Postgres, [] },
        { ResourceNames.Redis, [] },
    };

    [Theory]
    [MemberData(nameof(Kills))]
    public async Task ServerKilledMidRun_EveryReleasedOrderIsPacked_UsersUnhealthyDuringOutageThenHealthy(string server, string[] turnUnhealthy)
    {
        string[] watched = [ResourceNames.Wms, ResourceNames.Orchestrator, ResourceNames.Gateway];
        await estate.App.WaitForHealthyAsync(RecoveryEstateFixture.ServerBackTimeout, CancellationToken.None, [server, .. watched]);
        var releasedBefore = (await estate.ReleasesAsync()).Released;
        await using (var watch = estate.WatchHealth(watched))
        {
            await estate.SetReleasingAsync(true);
            await Eventually.UntilAsync(async () => (await estate.ReleasesAsync()).Released >= releasedBefore + 40, RecoveryEstateFixture.ServerBackTimeout, "40 orders released before the kill");

            await estate.App.ExecuteCommandAsync(server, ResourceCommand.Kill);
            await Eventually.UntilAsync(() => estate.App.GetSnapshot(server).State != ResourceState.Healthy, RecoveryEstateFixture.ServerBackTimeout, $"{server} seen down");
            await estate.App.WaitForHealthyAsync(RecoveryEstateFixture.ServerBackTimeout, CancellationToken.None, server);
            output.WriteLine($"{server} back at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");

            // Orders released after the restart go through the same recovered connections.
            var releasedAtRestart = (await estate.ReleasesAsync()).Released;
            await Eventually.UntilAsync(async () => (await estate.ReleasesAsync()).Released >= releasedAtRestart + 25, RecoveryEstateFixture.ServerBackTimeout, "25 orders released after the restart");
            await estate.SetReleasingAsync(false);
            await Eventually.UntilAsync(async () => (await estate.ReleasesAsync()).Pending == 0, RecoveryEstateFixture.ServerBackTimeout, "every started release answered");

            var keys = (await estate.ReleasesAsync()).Releases.Select(r => r.BusinessKey).ToArray();
            List<(string Key, string State)> notPacked = [];
            try
            {
                await Eventually.UntilAsync(async () => (notPacked = await NotPackedAsync(keys)).Count == 0, PackedTimeout, $"all {keys.Length} released orders Packed");
            }
            catch (TimeoutException)
            {
                output.WriteLine($"not packed: {string.Join(", ", notPacked.GroupBy(n => n.State).Select(g => $"{g.Key} {g.Count()}"))}");
                throw;
            }

            foreach (var resource in turnUnhealthy)
            {
                Assert.True(watch.Saw(resource, ResourceState.Unhealthy), $"{resource} never reported Unhealthy while {server} was down");
            }
        }

        // And healthy again, with nothing left stuck.
        await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(20), CancellationToken.None, watched);
    }

    private async Task<List<(string Key, string State)>> NotPackedAsync(string[] keys)
    {
        var shipments = await estate.QueryAsync(
            "SELECT business_key, state FROM shipments WHERE source_system = 'erp' AND business_key = ANY($1)",
            r => (Key: r.GetString(0), State: r.GetString(1)), [keys]);
        var states = shipments.ToDictionary(s => s.Key, s => s.State);
        return keys.Select(k => (k, states.GetValueOrDefault(k, "missing"))).Where(s => s.Item2 != "Packed").ToList();
    }
}
