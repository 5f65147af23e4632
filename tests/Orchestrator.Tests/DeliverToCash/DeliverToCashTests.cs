using System.Net;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Tests.Flows;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.CarrierWebhooks.CarrierFormatsTests;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.DeliverToCash;

[Collection(FlowsCollection.Name)]
public sealed class DeliverToCashTests(FlowsEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task ErpInMaintenance_InvoiceBufferedWithAnException_ThenPostedExactlyOnceAndInvoiced()
    {
        var key = FlowsEstateFixture.NewKey();
        estate.Partners.Script(key).Carriers = ["parcelfast"];
        var id = await estate.ReleaseAndPackAsync(key);
        var tracking = (await estate.WaitForStateAsync(id, "Booked")).GetProperty("booking").GetProperty("trackingNumber").GetString()!;
        await PostAsync(ParcelFast("IN_TRANSIT", eventId: $"pf-{key}-1", tracking: tracking, reference: key));
        await WaitUntilAsync(() => Task.FromResult(estate.Partners.Posted.ContainsKey(("goods-issue", key))));

        estate.Partners.ErpInMaintenance = true;
        try
        {
            await PostAsync(ParcelFast("DELIVERED", eventId: $"pf-{key}-2", tracking: tracking, reference: key));
            await PostAsync(ParcelFast("POD_AVAILABLE", eventId: $"pf-{key}-3", tracking: tracking, reference: key));

            // Buffered, not lost: retried through the maintenance window, and after a second an exception says so.
            await WaitUntilAsync(async () => (await estate.ExceptionsAsync(id, status: "open")).Any(e => e.GetProperty("type").GetString() == "InvoicePostingDelayed"));
            var exception = Assert.Single(await estate.ExceptionsAsync(id, status: "open"));
            Assert.Equal("finance", exception.GetProperty("ownerTeam").GetString());
            // The last attempt met the maintenance window itself, or the circuit it opened.
            Assert.Matches("answered 503|circuit open", exception.GetProperty("detail").GetString());
            Assert.True(estate.Partners.PostingCalls.Count(c => c.BusinessKey == key && c.Kind == "invoice") >= 2);
            Assert.Equal("Delivered", (await estate.ShipmentAsync(id)).GetProperty("state").GetString());
        }
        finally
        {
            estate.Partners.ErpInMaintenance = false;
        }

        // Invoiced, and with its only exception resolved by the posting, closed in the same transaction.
        await estate.WaitForStateAsync(id, "Closed", TimeSpan.FromSeconds(45));
        Assert.Single(estate.Partners.PostingCalls, c => c.BusinessKey == key && c.Kind == "invoice" && c.Answer == HttpStatusCode.Created);
        Assert.DoesNotContain(estate.Partners.PostingCalls, c => c.BusinessKey == key && c.Answer == HttpStatusCode.OK);
        var resolved = Assert.Single(await estate.ExceptionsAsync(id));
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Single(await estate.TrailAsync(id), e => e is { Milestone: "invoiced", Source: "Erp", Outcome: "applied" });
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM partner_tasks WHERE shipment_id = $1 AND kind = 'invoice' AND completed_at IS NOT NULL", id));
    }

    private async Task PostAsync(string body) => Assert.Equal(HttpStatusCode.Accepted, await estate.PostWebhookAsync("parcelfast", body));

    public void Dispose() => _logs.Dispose();
}
