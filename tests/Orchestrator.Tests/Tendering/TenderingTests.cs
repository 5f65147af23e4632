using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;
using LogisticsSync.Orchestrator.Tests.Flows;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Tendering;

[Collection(FlowsCollection.Name)]
public sealed class TenderingTests(FlowsEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task Packed_FirstQuotedCarrierBooks_TenderedAndBookedRecordedWithBookingOnShipment()
    {
        var key = FlowsEstateFixture.NewKey();
        var id = await estate.ReleaseAndPackAsync(key);

        var shipment = await estate.WaitForStateAsync(id, "Booked");

        var booking = shipment.GetProperty("booking");
        Assert.Equal("parcelfast", booking.GetProperty("carrierId").GetString());
        Assert.StartsWith("PF", booking.GetProperty("trackingNumber").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("BK-parcelfast-", booking.GetProperty("bookingReference").GetString(), StringComparison.Ordinal);
        Assert.Equal("Tms", shipment.GetProperty("stateOwner").GetString());
        var trail = await estate.TrailAsync(id);
        Assert.Contains(trail, e => e is { Milestone: "tendered", Source: "Tms", Outcome: "applied" } && e.Detail!.Contains("parcelfast", StringComparison.Ordinal));
        Assert.Contains(trail, e => e is { Milestone: "booked", Source: "Tms", Outcome: "applied" });
        var tender = Assert.Single(estate.Partners.Tenders, t => t.BusinessKey == key);
        Assert.Equal(tender.TenderId.ToString(), tender.IdempotencyKey);
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM partner_tasks WHERE shipment_id = $1 AND kind = 'tender' AND completed_at IS NOT NULL", id));
    }

    [Fact]
    public async Task FirstCarrierRejects_NextQuotedCarrierBooks()
    {
        var key = FlowsEstateFixture.NewKey();
        estate.Partners.Script(key).Outcomes["parcelfast"] = "rejected";
        var id = await estate.ReleaseAndPackAsync(key);

        var shipment = await estate.WaitForStateAsync(id, "Booked");

        Assert.Equal("freightline", shipment.GetProperty("booking").GetProperty("carrierId").GetString());
        var applied = (await estate.TrailAsync(id)).Where(e => e.Outcome == "applied").Select(e => e.Milestone).ToList();
        Assert.Equal(["released", "packed", "tendered", "tender-rejected", "tendered", "booked"], applied);
        Assert.Equal(["parcelfast", "freightline"], estate.Partners.Tenders.Where(t => t.BusinessKey == key).Select(t => t.CarrierId));
        Assert.Equal(1, estate.Partners.BookingsOf(key));
        Assert.Empty(await estate.ExceptionsAsync(id));
    }

    [Fact]
    public async Task AllCarriersUnavailable_BookingDeferredWithExceptionAndRetries_ThenBooksAndResolvesIt()
    {
        var key = FlowsEstateFixture.NewKey();
        var script = estate.Partners.Script(key);
        script.Outcomes["parcelfast"] = "unavailable";
        script.Outcomes["freightline"] = "unavailable";
        var id = await estate.ReleaseAndPackAsync(key);

        await estate.WaitForStateAsync(id, "BookingDeferred");
        var exception = Assert.Single(await estate.ExceptionsAsync(id));
        Assert.Equal("BookingDeferred", exception.GetProperty("type").GetString());
        Assert.Equal("transport-planning", exception.GetProperty("ownerTeam").GetString());
        Assert.Equal("open", exception.GetProperty("status").GetString());
        Assert.Equal("tender", exception.GetProperty("retryableTask").GetString());
        // Managed retries: the parked task comes back with back-off and tries both carriers again, each under a new tender id.
        await WaitUntilAsync(async () => estate.Partners.Tenders.Count(t => t.BusinessKey == key) >= 6);
        Assert.Single(await estate.ExceptionsAsync(id));
        Assert.True(await estate.CountAsync("SELECT attempts FROM partner_tasks WHERE shipment_id = $1 AND kind = 'tender'", id) >= 3);

        script.Outcomes["freightline"] = "booked";
        var shipment = await estate.WaitForStateAsync(id, "Booked");

        Assert.Equal("freightline", shipment.GetProperty("booking").GetProperty("carrierId").GetString());
        var resolved = Assert.Single(await estate.ExceptionsAsync(id));
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Contains("freightline", resolved.GetProperty("resolution").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, estate.Partners.BookingsOf(key));
        var tenders = estate.Partners.Tenders.Where(t => t.BusinessKey == key).ToList();
        Assert.Equal(tenders.Count, tenders.Select(t => t.TenderId).Distinct().Count());
    }

    [Fact]
    public async Task TmsDown_BookingDeferredThenBookedOnceItReturns()
    {
        var key = FlowsEstateFixture.NewKey();
        estate.Partners.Scripts[key] = new TmsScript();
        estate.Partners.TmsDown = true;
        try
        {
            var id = await estate.ReleaseAndPackAsync(key);
            await estate.WaitForStateAsync(id, "BookingDeferred");
            var exception = Assert.Single(await estate.ExceptionsAsync(id, status: "open"));
            Assert.Contains("TMS unavailable", exception.GetProperty("detail").GetString(), StringComparison.Ordinal);

            estate.Partners.TmsDown = false;
            await estate.WaitForStateAsync(id, "Booked", TimeSpan.FromSeconds(45));

            Assert.Empty(await estate.ExceptionsAsync(id, status: "open"));
            Assert.Equal(1, estate.Partners.BookingsOf(key));
            Assert.Contains(await estate.TrailAsync(id), e => e is { Milestone: "booking-deferred", Source: "Orchestrator", Outcome: "applied" });
        }
        finally
        {
            estate.Partners.TmsDown = false;
        }
    }

    [Fact]
    public async Task ReplicaKilledWhileTheTmsHoldsItsAnswers_EveryShipmentBookedOnce_LostAnswersFetchedAgainUnderTheSameTenderId()
    {
        var keys = Enumerable.Range(0, 8).Select(_ => FlowsEstateFixture.NewKey()).ToList();
        estate.Partners.TenderAnswerDelay = TimeSpan.FromSeconds(2);
        try
        {
            var ids = new List<Guid>();
            foreach (var key in keys)
            {
                estate.Partners.Script(key).Carriers = ["parcelfast"];
                ids.Add(await estate.ReleaseAndPackAsync(key));
            }

            // Replica 0 has sent a tender whose answer is on the way: kill it now.
            await WaitUntilAsync(async () => await estate.CountAsync("""
                SELECT count(*) FROM partner_tasks p JOIN tenders t ON t.shipment_id = p.shipment_id AND t.outcome IS NULL
                WHERE p.shipment_id = ANY($1) AND p.kind = 'tender' AND p.completed_at IS NULL AND p.claimed_by = 'orchestrator-0'
                """, ids.ToArray()) >= 1);
            await estate.App.ExecuteCommandAsync(ResourceNames.Orchestrator, ResourceCommand.Kill, replica: 0);

            foreach (var id in ids)
            {
                await estate.WaitForStateAsync(id, "Booked", TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            estate.Partners.TenderAnswerDelay = TimeSpan.Zero;
        }

        Assert.All(keys, key => Assert.Equal(1, estate.Partners.BookingsOf(key)));
        // Each shipment's tenders: one id, sent once or again after the kill, always answered the same.
        Assert.All(keys, key => Assert.Single(estate.Partners.Tenders.Where(t => t.BusinessKey == key).Select(t => (t.TenderId, t.Answer)).Distinct()));
        Assert.Contains(keys, key => estate.Partners.Tenders.Count(t => t.BusinessKey == key) > 1);
        await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
    }

    public void Dispose() => _logs.Dispose();
}
