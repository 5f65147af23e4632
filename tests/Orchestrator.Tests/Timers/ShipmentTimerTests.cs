using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Timers;

public sealed class ShipmentTimerTests(TimersEstateFixture estate, ITestOutputHelper output) : IClassFixture<TimersEstateFixture>, IDisposable
{
    private const string StuckCount = "SELECT count(*) FROM shipment_exceptions WHERE shipment_id = ANY($1) AND type = 'ShipmentStuck'";

    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task DwellLimitPassed_OpensExactlyOneShipmentStuckForTheWarehouse_AndProgressResolvesIt()
    {
        var (key, id) = await ReleaseAsync();

        var stuck = await WaitForExceptionAsync(id, "ShipmentStuck", "open");
        Assert.Equal("warehouse-operations", stuck.GetProperty("ownerTeam").GetString());
        Assert.StartsWith("Released since", stuck.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("waiting on the WMS", stuck.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Both replicas keep polling: the fired timer opens nothing more.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, await estate.CountAsync(StuckCount, new[] { id }));
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipment_timers WHERE shipment_id = $1 AND kind = 'dwell' AND fired_at IS NOT NULL", id));

        await estate.PublishAsync(key, ShipmentMilestone.Allocated, "wms");

        var resolved = await WaitForExceptionAsync(id, "ShipmentStuck", "resolved");
        Assert.Equal("the shipment moved on to Allocated", resolved.GetProperty("resolution").GetString());
        Assert.Equal(1, await estate.CountAsync(
            "SELECT count(*) FROM shipment_timers WHERE shipment_id = $1 AND kind = 'dwell' AND state = 'Allocated' AND fired_at IS NULL", id));
    }

    [Fact]
    public async Task ProgressBeforeTheLimit_ReplacesTheTimer_NothingOpens()
    {
        var (key, id) = await ReleaseAsync();
        await estate.PublishAsync(key, ShipmentMilestone.Allocated, "wms");
        await WaitUntilAsync(async () => await StateAsync(id) == "Allocated");

        // Past the Released limit (2 s), with the Allocated one (10 min) running instead.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await estate.CountAsync("SELECT count(*) FROM shipment_exceptions WHERE shipment_id = $1", id));
        Assert.Equal(1, await estate.CountAsync(
            "SELECT count(*) FROM shipment_timers WHERE shipment_id = $1 AND kind = 'dwell' AND state = 'Allocated' AND fired_at IS NULL", id));
        // The promise timer is armed from the release, far ahead.
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipment_timers WHERE shipment_id = $1 AND kind = 'promise' AND fired_at IS NULL", id));
    }

    [Fact]
    public async Task BothReplicasKilledWhileTimersRun_EachFiresOnceAfterTheRestart()
    {
        var shipments = new List<(string Key, Guid Id)>();
        for (var i = 0; i < 20; i++)
        {
            shipments.Add(await ReleaseAsync());
        }

        var ids = shipments.Select(s => s.Id).ToArray();
        await Task.WhenAll(shipments.Select(s => estate.PublishAsync(s.Key, ShipmentMilestone.Picked, "wms")));
        await WaitUntilAsync(async () => await estate.CountAsync("SELECT count(*) FROM shipments WHERE id = ANY($1) AND state = 'Picked'", ids) == 20);
        Assert.Equal(0, await estate.CountAsync(StuckCount, ids));

        // Nothing of the timers lives in a replica: with both gone before the Picked limit (6 s), they fire after the restart.
        await estate.App.ExecuteCommandAsync(ResourceNames.Orchestrator, ResourceCommand.Kill, replica: 0);
        await estate.App.ExecuteCommandAsync(ResourceNames.Orchestrator, ResourceCommand.Kill, replica: 1);

        await WaitUntilAsync(async () => await estate.CountAsync(StuckCount + " AND status = 'open'", ids) == 20, TimeSpan.FromSeconds(90));
        await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(20, await estate.CountAsync(StuckCount, ids));
        Assert.Equal(20, await estate.CountAsync(
            "SELECT count(DISTINCT shipment_id) FROM shipment_exceptions WHERE shipment_id = ANY($1) AND type = 'ShipmentStuck' AND detail LIKE 'Picked since%'", ids));
        Assert.Equal(20, await estate.CountAsync("SELECT count(*) FROM shipment_timers WHERE shipment_id = ANY($1) AND kind = 'dwell' AND fired_at IS NOT NULL", ids));
    }

    private async Task<(string Key, Guid Id)> ReleaseAsync()
    {
        var key = "SO-T-" + Guid.NewGuid().ToString("N")[..12];
        using var client = estate.Replica(0);
        using var response = await client.SendAsync(Release(ReleaseBody(key), key));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (key, Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
    }

    private async Task<string?> StateAsync(Guid id)
    {
        using var client = estate.Replica(1);
        return (await client.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{id}")).GetProperty("state").GetString();
    }

    private async Task<JsonElement> WaitForExceptionAsync(Guid id, string type, string status)
    {
        JsonElement found = default;
        await WaitUntilAsync(async () =>
        {
            using var client = estate.Replica(1);
            var records = await client.GetFromJsonAsync<JsonElement>($"/api/v1/exceptions?shipmentId={id}&type={type}&status={status}");
            var list = records.EnumerateArray().ToList();
            found = list.FirstOrDefault();
            return list.Count > 0;
        }, TimeSpan.FromSeconds(20));
        return found;
    }

    public void Dispose() => _logs.Dispose();
}
