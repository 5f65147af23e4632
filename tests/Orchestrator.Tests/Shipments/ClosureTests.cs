using System.Net;
using System.Net.Http.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Tests.Flows;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.CarrierWebhooks.CarrierFormatsTests;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Shipments;

[Collection(FlowsCollection.Name)]
public sealed class ClosureTests(FlowsEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    /// <summary>
    /// Promised an hour ago: the promise timer opens DeliveryLate at once. Delivered and invoiced, the shipment stays
    /// Invoiced while that is open; the operator's resolution is the last thing open, and closes it.
    /// </summary>
    [Fact]
    public async Task InvoicedWithAnOpenException_StaysInvoiced_ThenClosesWhenTheOperatorResolvesIt()
    {
        var key = FlowsEstateFixture.NewKey();
        estate.Partners.Script(key).Carriers = ["parcelfast"];
        var id = await estate.ReleaseAndPackAsync(key, DateTimeOffset.UtcNow.AddHours(-1));
        var tracking = (await estate.WaitForStateAsync(id, "Booked")).GetProperty("booking").GetProperty("trackingNumber").GetString()!;
        await WaitUntilAsync(async () => (await estate.ExceptionsAsync(id, status: "open")).Any(e => e.GetProperty("type").GetString() == "DeliveryLate"));

        foreach (var (status, n) in new[] { ("IN_TRANSIT", 1), ("DELIVERED", 2), ("POD_AVAILABLE", 3) })
        {
            Assert.Equal(HttpStatusCode.Accepted, await estate.PostWebhookAsync("parcelfast", ParcelFast(status, eventId: $"pf-{key}-{n}", tracking: tracking, reference: key)));
        }

        await estate.WaitForStateAsync(id, "Invoiced");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("Invoiced", (await estate.ShipmentAsync(id)).GetProperty("state").GetString());
        var late = Assert.Single(await estate.ExceptionsAsync(id, status: "open"));
        Assert.StartsWith("not delivered by the promised", late.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var client = estate.Client();
        using var resolve = await client.PostAsJsonAsync($"/api/v1/exceptions/{late.GetProperty("id").GetString()}/resolve", new { resolution = "customer informed, credit note issued" });
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);

        var closed = await estate.ShipmentAsync(id);
        Assert.Equal("Closed", closed.GetProperty("state").GetString());
        Assert.Equal("Orchestrator", closed.GetProperty("stateOwner").GetString());
        Assert.Single(await estate.TrailAsync(id), e => e is { Milestone: "closed", Source: "Orchestrator", Outcome: "applied" });
        Assert.Equal(0, await estate.CountAsync("SELECT count(*) FROM shipment_timers WHERE shipment_id = $1 AND fired_at IS NULL", id));
    }

    public void Dispose() => _logs.Dispose();
}
