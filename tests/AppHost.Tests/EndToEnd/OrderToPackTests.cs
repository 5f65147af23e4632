using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Erp;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Wms;
using RabbitMQ.Client;
using Xunit.Abstractions;
using static LogisticsSync.AppHost.Tests.EndToEnd.OrderToPackEstateFixture;

namespace LogisticsSync.AppHost.Tests.EndToEnd;

[Collection(OrderToPackEstateCollection.Name)]
public sealed class OrderToPackTests(OrderToPackEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task ErpReleasesSeededOrdersWithLostResponsesAndResends_WmsPacksEachOnce_NoMilestoneAppliedTwice()
    {
        using var erp = estate.Simulator(ResourceNames.Erp);
        using var wms = estate.Simulator(ResourceNames.Wms);

        // The ERP starts in an outage: nothing is released until the admin API switches it off at run time.
        var run = await estate.OrderToPackAsync();
        Assert.Equal(0, run.BeforeSwitch.Orders);
        Assert.True(run.ConfiguredErpFaults.Outage);
        Assert.Equal(ErpFaults.TimeoutRate, run.ConfiguredErpFaults.TimeoutRate);
        // Resends go out after an order's release is answered: wait for as many as the seed plans.
        var plannedResends = Enumerable.Range(1, Orders).Count(n => FaultInjector.Decide(Seed, ErpFaults.DuplicateRate, "erp.resend", OrderGenerator.BusinessKey(Seed, n)));
        await Eventually.UntilAsync(async () => (await erp.GetFromJsonAsync<ReleaseReport>("/erp/releases"))!.Resent == plannedResends, DrainTimeout, $"ERP resent {plannedResends} orders");
        await WaitUntilMilestonesDrainedAsync();
        var releases = await erp.GetFromJsonAsync<ReleaseReport>("/erp/releases");
        var work = await wms.GetFromJsonAsync<WarehouseWorkReport>("/wms/work");
        output.WriteLine($"ERP: {JsonSerializer.Serialize(releases! with { Releases = [] })}");
        output.WriteLine($"WMS: {JsonSerializer.Serialize(work)}");

        // The ERP's view: every order released once, duplicates happened and were answered as replays.
        Assert.Equal((Orders, Orders, 0, 0), (releases!.Orders, releases.Released, releases.Pending, releases.Rejected));
        Assert.True(releases.LostResponses > 0, "the fault profile lost no response: the retry path was not exercised");
        Assert.True(plannedResends > 0, "the seed plans no resend");
        Assert.Equal(releases.Resent, releases.ResendsReplayed);
        Assert.True(releases.Attempts >= Orders + releases.LostResponses + releases.Resent);

        // The orchestrator's view: exactly the ERP's orders, one shipment each, all packed, correlated end to end.
        var keyPrefix = $"SO-{Seed:x8}-%";
        var shipments = await estate.QueryAsync(
            "SELECT id, business_key, state, correlation_id FROM shipments WHERE source_system = 'erp' AND business_key LIKE $1",
            r => (Id: r.GetGuid(0), Key: r.GetString(1), State: r.GetString(2), Correlation: r.GetString(3)), keyPrefix);
        Assert.Equal(
            releases.Releases.Select(r => (r.BusinessKey, r.ShipmentId)).Order(),
            shipments.Select(s => (s.Key, (Guid?)s.Id)).Order());
        Assert.Equal(Enumerable.Range(1, Orders).Select(n => OrderGenerator.BusinessKey(Seed, n)), shipments.Select(s => s.Key).Order());
        Assert.All(shipments, s => Assert.Equal(("Packed", $"erp-{s.Key}"), (s.State, s.Correlation)));

        // No milestone applied (or skipped over) twice, whatever arrived twice or out of order.
        var appliedTwice = await estate.QueryAsync(
            """
            SELECT s.business_key || ' ' || e.milestone FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
            WHERE s.business_key LIKE $1 AND e.outcome IN ('applied', 'skipped') GROUP BY s.business_key, e.milestone HAVING count(*) > 1
            """, r => r.GetString(0), keyPrefix);
        Assert.Empty(appliedTwice);

        // The WMS's faults happened exactly as the seed planned them, and each left its trace in the trail.
        var master = MasterData.Generate(Seed);
        var plans = shipments.ToDictionary(s => s.Key, s => FulfilmentPlan.For(Seed, $"erp/{s.Key}", new WmsOptions(), WmsFaults, WarehouseOrders.LinesOf(master, Seed, s.Key)));
        Assert.Equal(plans.Values.Count(p => p.ShortPicked), work!.ShortPicks);
        Assert.Equal(plans.Values.Sum(p => p.Lines.Count(l => l.Packages > 1)), work.SplitLines);
        Assert.Equal(plans.Values.Sum(p => p.Lines.Count(l => l.Exception == PickedLine.Damaged)), work.DamagedLines);
        Assert.True(work.SplitLines > 0, "the seed split no line");
        Assert.Equal(plans.Values.Count(p => p.Reordered), work.Reordered);
        Assert.Equal(plans.Values.Sum(p => p.Confirmations.Count(c => c.SendTwice)), work.DuplicatesSent);
        Assert.True(work.ShortPicks > 0 && work.Reordered > 0 && work.DuplicatesSent > 0, "the seed exercised no short pick, reorder or duplicate");
        var trail = (await estate.QueryAsync(
            """
            SELECT s.business_key, e.milestone, e.outcome, coalesce(e.from_state, '') FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
            WHERE s.business_key LIKE $1 AND e.source_system = 'Wms' ORDER BY e.sequence
            """, r => (Key: r.GetString(0), Milestone: r.GetString(1), Outcome: r.GetString(2), From: r.GetString(3)), keyPrefix))
            .ToLookup(row => row.Key);
        var jumpedOverThePick = 0;
        foreach (var (key, plan) in plans)
        {
            var rows = trail[key].ToList();
            var pick = plan.ShortPicked ? "short-picked" : "picked";
            // One trail row per confirmation (plus rows for milestones a jump skipped): the same event id twice
            // is absorbed by the inbox before it reaches the trail.
            Assert.Equal(3, rows.Count(row => row.Outcome != "skipped"));
            Assert.Contains(rows, row => row is { Milestone: "packed", Outcome: "applied" });
            // A confirmation that arrived after a later one (planned reorders, and on a loaded machine any two the
            // orchestrator's concurrent appliers took in either order) was jumped over, then came in stale.
            foreach (var earlier in new[] { "allocated", pick })
            {
                var applied = rows.Any(row => row.Milestone == earlier && row.Outcome == "applied");
                Assert.True(applied || rows.Any(row => row.Milestone == earlier && row.Outcome == "stale"), $"{key}: {earlier} neither applied nor stale");
                if (!applied)
                {
                    Assert.Contains(rows, row => row.Milestone == (earlier == "allocated" ? "allocated" : "picked") && row.Outcome == "skipped");
                }
            }

            if (plan.Reordered && rows.Any(row => row is { Milestone: "packed", From: "Allocated" }))
            {
                jumpedOverThePick++;
            }
        }

        Assert.True(jumpedOverThePick > 0, "no reordered confirmation reached the orchestrator out of order");
    }

    [Fact]
    public async Task ErpRestartedWithTheSameSeed_ReleasesTheSameOrdersAgain_AbsorbedAsReplays()
    {
        await estate.OrderToPackAsync();
        List<(string Key, Guid Id, string State, int Version)> shipmentsBefore = [];
        await Eventually.UntilAsync(async () => (shipmentsBefore = await ShipmentsAsync()).All(s => s.State == "Packed"), DrainTimeout, "every shipment Packed");

        await estate.App.ExecuteCommandAsync(ResourceNames.Erp, ResourceCommand.Restart);
        await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(60), CancellationToken.None, ResourceNames.Erp);
        using var erp = estate.Simulator(ResourceNames.Erp);
        // A new process starts in its configured outage again: switch it off, as before.
        (await erp.PutAsJsonAsync("/admin/faults", ErpFaults)).EnsureSuccessStatusCode().Dispose();
        ReleaseReport? again = null;
        await Eventually.UntilAsync(async () => (again = await erp.GetFromJsonAsync<ReleaseReport>("/erp/releases"))!.Released == Orders, DrainTimeout, $"ERP released {Orders} orders again");

        // Same seed, same day: the same order numbers, keys and bodies, so the gateway replays the first answers.
        Assert.Equal(Enumerable.Range(1, Orders).Select(n => OrderGenerator.BusinessKey(Seed, n)), again!.Releases.Select(r => r.BusinessKey));
        Assert.Equal(
            shipmentsBefore.Select(s => (s.Key, (Guid?)s.Id)),
            again.Releases.Select(r => (r.BusinessKey, r.ShipmentId)));
        Assert.Equal(shipmentsBefore, await ShipmentsAsync());
    }

    private async Task<List<(string Key, Guid Id, string State, int Version)>> ShipmentsAsync() => await estate.QueryAsync(
        "SELECT business_key, id, state, version FROM shipments WHERE source_system = 'erp' AND business_key LIKE $1 ORDER BY business_key",
        r => (r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3)), $"SO-{Seed:x8}-%");

    [Fact]
    public async Task AdminApi_WithoutTheKeyOrWithABadProfile_AnswersProblemsAndChangesNothing()
    {
        using var anonymous = estate.Simulator(ResourceNames.Wms, adminKey: null);
        using var wrongKey = estate.Simulator(ResourceNames.Wms, adminKey: "not-the-key");
        using var wms = estate.Simulator(ResourceNames.Wms);

        foreach (var client in new[] { anonymous, wrongKey })
        {
            using var refused = await client.GetAsync("/admin/faults");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        using var outOfRange = await wms.PutAsJsonAsync("/admin/faults", new { shortPickRate = 1.5, latencyMs = -5 });
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        var problem = await outOfRange.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["latencyMs", "shortPickRate"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        using var misspelt = await wms.PutAsJsonAsync("/admin/faults", new { shortPickRat = 0.1 });
        Assert.Equal(HttpStatusCode.BadRequest, misspelt.StatusCode);
        Assert.Contains("shortPickRat", (await misspelt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var notJson = await wms.PutAsync("/admin/faults", new StringContent("outage=true", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);

        var unchanged = await wms.GetFromJsonAsync<FaultProfile>("/admin/faults");
        Assert.Equal(
            (WmsFaults.ShortPickRate, WmsFaults.DuplicateRate, WmsFaults.ReorderRate, WmsFaults.LateConfirmationRate, 0),
            (unchanged!.ShortPickRate, unchanged.DuplicateRate, unchanged.ReorderRate, unchanged.LateConfirmationRate, unchanged.LatencyMs));
    }

    /// <summary>The broker has handed every milestone to the orchestrator and it has acknowledged them all.</summary>
    private async Task WaitUntilMilestonesDrainedAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ)) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await Eventually.UntilAsync(async () =>
        {
            var queue = await channel.QueueDeclarePassiveAsync("orchestrator.milestones");
            return queue.MessageCount == 0 && await UnacknowledgedAsync() == 0;
        }, DrainTimeout, "orchestrator.milestones drained");

        // Unacknowledged deliveries are not in the message count: the inbox must hold every event the WMS sent.
        async Task<long> UnacknowledgedAsync()
        {
            var sent = await estate.QueryAsync(
                "SELECT count(DISTINCT e.event_id) FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.business_key LIKE $1 AND e.source_system = 'Wms'",
                r => r.GetInt64(0), $"SO-{Seed:x8}-%");
            return (Orders * 3) - sent.Single();
        }
    }
}
