using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Scenarios;
using Xunit.Abstractions;

namespace LogisticsSync.Load.Chaos.Tests.EndToEnd;

/// <summary>
/// A short chaos run end to end (about 2 minutes): the whole estate booted, the ERP releasing 60 orders while
/// RabbitMQ and then an orchestrator replica are SIGKILLed through the control API; every invariant must hold.
/// </summary>
public sealed class ChaosRunTests(ITestOutputHelper output)
{
    private const string Scenario = """
        {
          "name": "e2e-broker-and-replica",
          "traffic": { "erp": { "orders": 60, "ordersPerSecond": 5 }, "readsPerSecond": 5 },
          "settle": { "timeout": "180s", "quiet": "3s" },
          "faults": [
            { "at": "3s", "kind": "kill", "target": "rabbitmq" },
            { "at": "8s", "kind": "kill", "target": "orchestrator", "replica": 1 }
          ]
        }
        """;

    // The settle bound counts from the timeline's end, so it includes RabbitMQ's own restart after the SIGKILL: 23 to 69 s
    // measured on a loaded 2-core machine (message store rebuilt), after which a shipment still needs ~35 s of WMS work,
    // tender, journey and invoice. At 90 s a run whose flow was still moving failed (2026-12-05: broker back after 55.7 s,
    // 9 shipments InTransit, their peers booked at the same time invoiced 10-30 s later, invoices still posting at the
    // bound); a run given 300 s (broker back after 69 s, load average 87) settled everything 124 s after the timeline, and
    // with the recovery fixes a run whose broker took 53 s settled after 88 s. A settled run stops waiting at once.
    // Found by this test on branch chaos (2026-12-04): after the broker's SIGKILL the flow stops. 53 of 60 orders stay
    // Released, 997 events sit in logistics.unrouted and 55 in wms.released unconsumed, 90 s after the faults.
    [Fact]
    public async Task PlayAsync_RabbitMQAndAReplicaKilledMidRun_EveryInvariantHolds()
    {
        var scenario = ScenarioFile.Parse(Scenario, "e2e");
        var log = Path.Combine(Path.GetTempPath(), $"chaos-e2e-{Guid.NewGuid():N}.log");
        await using var estate = await EstateBoot.StartAsync(scenario, log, []);

        var result = await ChaosRun.PlayAsync(scenario, estate, output.WriteLine, CancellationToken.None);

        output.WriteLine(LoadRunner.Reports.ReportWriter.Text(result));
        // The detail (figures, offenders) in the message itself: a CI log's tail shows the assertion, not the report above.
        Assert.All(result.Verdicts, v => Assert.True(v.Passed, $"{v.Name} — {v.Detail} (estate log: {log})"));
        Assert.Contains(result.Sections, s => s.Title == "Invariants" && s.Rows.Count == 9);
    }
}
