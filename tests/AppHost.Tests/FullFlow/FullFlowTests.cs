using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests.FullFlow;

[CollectionDefinition(Name)]
public sealed class FullFlowEstateCollection : ICollectionFixture<FullFlowEstateFixture>
{
    public const string Name = "full-flow estate";
}

/// <summary>
/// The three flows end to end through every system of the estate (ARCHITECTURE.md §3): the ERP's seeded orders
/// through gateway, orchestrator, WMS, TMS and carriers to the ERP's invoice, under faults. Tests run one after
/// another on one estate; each scenario releases its own orders and puts back the fault profiles it changed.
/// </summary>
[Collection(FullFlowEstateCollection.Name)]
public sealed class FullFlowTests(FullFlowEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(150);
    private readonly IDisposable _logs = estate.App.StreamLogsTo(line =>
    {
        // Only warnings and errors: two hundred orders' worth of information logs would drown the failure.
        if (line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal) || line.Contains("warn:", StringComparison.Ordinal))
        {
            output.WriteLine(line);
        }
    });

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task TwoHundredSeededOrders_ModerateFaults_EveryOrderAccountedForExactlyOnce()
    {
        var erpKeys = $"SO-{FullFlowEstateFixture.DefaultSeed:x8}-";
        await Eventually.UntilAsync(async () => (await estate.GetAsync(ResourceNames.Erp, "/erp/releases")).GetProperty("released").GetInt32() == 200,
            SettleTimeout, "the ERP released its 200 orders");
        await WaitSettledAsync(erpKeys);

        var releases = await estate.GetAsync(ResourceNames.Erp, "/erp/releases");
        var invoices = await estate.GetAsync(ResourceNames.Erp, "/erp/api/invoice-triggers");
        var states = await estate.StatesAsync(erpKeys);
        output.WriteLine($"states: {JsonSerializer.Serialize(states)}");
        output.WriteLine($"ERP invoices: documents {invoices.GetProperty("documents")}, triggers {invoices.GetProperty("triggers")}, repeats {invoices.GetProperty("repeats")}");

        // Every released order has exactly one shipment, and the ERP and the orchestrator agree on which.
        var shipments = await estate.QueryAsync("SELECT business_key, id, state FROM shipments WHERE starts_with(business_key, $1)",
            r => (Key: r.GetString(0), Id: r.GetGuid(1), State: r.GetString(2)), erpKeys);
        Assert.Equal(200, releases.GetProperty("released").GetInt32());
        Assert.Equal(
            releases.GetProperty("releases").EnumerateArray().Select(r => (r.GetProperty("businessKey").GetString(), r.GetProperty("shipmentId").GetGuid())).Order(),
            shipments.Select(s => ((string?)s.Key, s.Id)).Order());

        // Settled: terminal, or an open exception says who must act.
        Assert.Empty(await estate.UnsettledAsync(erpKeys));
        // Invoiced, and closed unless an exception (a delivery late past its promise) is still open on it.
        var invoicedOrClosed = states.GetValueOrDefault("Invoiced") + states.GetValueOrDefault("Closed");
        Assert.True(invoicedOrClosed >= 150, $"only {invoicedOrClosed} of 200 invoiced");

        // No shipment invoiced twice, in the ERP's journal or in the orchestrator's trail; the two agree.
        var invoiced = shipments.Where(s => s.State is "Invoiced" or "Closed").Select(s => s.Key).Order().ToList();
        var documents = invoices.GetProperty("posted").EnumerateArray().Where(d => d.GetProperty("businessKey").GetString()!.StartsWith(erpKeys, StringComparison.Ordinal))
            .Select(d => d.GetProperty("businessKey").GetString()!).ToList();
        Assert.Equal(documents.Count, documents.Distinct().Count());
        Assert.Equal(invoiced, documents.Order());
        Assert.Empty(await estate.QueryAsync(
            """
            SELECT s.business_key FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
            WHERE starts_with(s.business_key, $1) AND e.milestone = 'invoiced' AND e.outcome = 'applied'
            GROUP BY s.business_key HAVING count(*) > 1
            """, r => r.GetString(0), erpKeys));

        // Every carrier event accepted once: duplicates (same webhook id, or the same event under a new one) left no second effect.
        Assert.Empty(await estate.QueryAsync(
            """
            SELECT e.event_id FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
            WHERE starts_with(s.business_key, $1) AND e.source_system = 'Carrier' AND e.outcome = 'applied'
            GROUP BY e.event_id HAVING count(*) > 1
            """, r => r.GetString(0), erpKeys));
        // Each shipment booked once, with one carrier, and no milestone of the main path applied twice.
        Assert.Empty(await estate.QueryAsync(
            """
            SELECT s.business_key || ' ' || e.milestone FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id
            WHERE starts_with(s.business_key, $1) AND e.outcome IN ('applied', 'skipped')
              AND e.milestone IN ('released', 'allocated', 'picked', 'packed', 'booked', 'delivered', 'invoiced')
            GROUP BY s.business_key, e.milestone HAVING count(*) > 1
            """, r => r.GetString(0), erpKeys));
    }

    [Fact]
    public async Task BothCarriersDown_ShipmentsWaitInBookingDeferred_ThenCompleteWhenTheOutageEnds()
    {
        var keys = await WithFaultsAsync(
            new() { [ResourceNames.CarrierParcelFast] = Outage, [ResourceNames.CarrierFreightLine] = Outage },
            async () =>
            {
                var released = await ReleaseAsync("E2E-OUTAGE-", 8);
                await Eventually.UntilAsync(async () => (await estate.StatesAsync("E2E-OUTAGE-")).GetValueOrDefault("BookingDeferred") == 8,
                    SettleTimeout, "all 8 shipments in BookingDeferred");
                var open = await OpenExceptionsAsync("E2E-OUTAGE-", "BookingDeferred");
                Assert.Equal(8, open.Count);
                return released;
            });

        await WaitSettledAsync("E2E-OUTAGE-", requireTerminal: true);
        var states = await estate.StatesAsync("E2E-OUTAGE-");
        Assert.Equal(keys.Count, states.Where(s => FullFlowEstateFixture.Settled.Contains(s.Key)).Sum(s => s.Value));
        Assert.Empty(await OpenExceptionsAsync("E2E-OUTAGE-", "BookingDeferred"));
    }

    [Fact]
    public async Task FirstCarrierRejectsEveryTender_TheAlternateCarrierBooks()
    {
        await WithFaultsAsync(
            // FreightLine says yes to everything here: a rejection by both would rightly park the shipment instead.
            new() { [ResourceNames.CarrierParcelFast] = new Dictionary<string, object> { ["tenderRejectionRate"] = 1.0 }, [ResourceNames.CarrierFreightLine] = NoFaults },
            async () =>
            {
                await ReleaseAsync("E2E-REJECT-", 8);
                await Eventually.UntilAsync(async () => (await estate.QueryAsync(
                    "SELECT count(*) FROM shipments WHERE starts_with(business_key, 'E2E-REJECT-') AND carrier_id IS NOT NULL",
                    r => r.GetInt64(0))).Single() == 8, SettleTimeout, "all 8 booked");
                return 0;
            });

        var bookings = await estate.QueryAsync(
            """
            SELECT s.business_key, s.carrier_id,
                   (SELECT count(*) FROM tenders t WHERE t.shipment_id = s.id AND t.carrier_id = 'parcelfast' AND t.outcome = 'rejected')
            FROM shipments s WHERE starts_with(s.business_key, 'E2E-REJECT-')
            """, r => (Key: r.GetString(0), Carrier: r.GetString(1), RejectedByParcelFast: r.GetInt64(2)));
        Assert.All(bookings, b => Assert.Equal("freightline", b.Carrier));
        // Where ParcelFast was quoted first it said no, and the shipment went on to FreightLine.
        Assert.Contains(bookings, b => b.RejectedByParcelFast > 0);
        Assert.Contains(await estate.QueryAsync(
            "SELECT e.milestone FROM shipment_events e JOIN shipments s ON s.id = e.shipment_id WHERE starts_with(s.business_key, 'E2E-REJECT-') AND e.outcome = 'applied'",
            r => r.GetString(0)), m => m == "tender-rejected");
        await WaitSettledAsync("E2E-REJECT-");
    }

    [Fact]
    public async Task ErpInMaintenanceDuringDeliveries_InvoicesArePostedOnceAfterItReturns()
    {
        await WithFaultsAsync(
            new() { [ResourceNames.Erp] = new Dictionary<string, object> { ["maintenance"] = true } },
            async () =>
            {
                await ReleaseAsync("E2E-MAINT-", 8);
                // Delivered with proof of delivery, the ERP answering 503 to its goods issue and invoice: parked, not lost, not Invoiced.
                await Eventually.UntilAsync(async () => (await estate.QueryAsync(
                    """
                    SELECT count(*) FROM shipments s WHERE starts_with(s.business_key, 'E2E-MAINT-') AND s.state = 'Delivered'
                      AND EXISTS (SELECT 1 FROM partner_tasks t WHERE t.shipment_id = s.id AND t.kind = 'invoice' AND t.completed_at IS NULL)
                      AND EXISTS (SELECT 1 FROM partner_tasks t WHERE t.shipment_id = s.id AND t.kind = 'goods-issue' AND t.completed_at IS NULL AND t.attempts > 0)
                    """, r => r.GetInt64(0))).Single() >= 4, SettleTimeout, "deliveries waiting on the ERP's maintenance");
                var invoicesDuring = await estate.GetAsync(ResourceNames.Erp, "/erp/api/invoice-triggers");
                Assert.DoesNotContain(invoicesDuring.GetProperty("posted").EnumerateArray(), d => d.GetProperty("businessKey").GetString()!.StartsWith("E2E-MAINT-", StringComparison.Ordinal));
                return 0;
            });

        await WaitSettledAsync("E2E-MAINT-", requireTerminal: true);
        var invoices = await estate.GetAsync(ResourceNames.Erp, "/erp/api/invoice-triggers");
        var posted = invoices.GetProperty("posted").EnumerateArray().Where(d => d.GetProperty("businessKey").GetString()!.StartsWith("E2E-MAINT-", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, posted.Count);
        Assert.Equal(8, posted.Select(d => d.GetProperty("businessKey").GetString()).Distinct().Count());
        var maintenanceStates = await estate.StatesAsync("E2E-MAINT-");
        Assert.Equal(8, maintenanceStates.GetValueOrDefault("Invoiced") + maintenanceStates.GetValueOrDefault("Closed"));
    }

    private static readonly Dictionary<string, object> Outage = new() { ["outage"] = true };

    private static readonly Dictionary<string, object> NoFaults = [];

    /// <summary>Runs <paramref name="scenario"/> with the given simulators' profiles replaced, then puts their profiles back.</summary>
    private async Task<T> WithFaultsAsync<T>(Dictionary<string, IReadOnlyDictionary<string, object>> faults, Func<Task<T>> scenario)
    {
        var before = new Dictionary<string, JsonElement>();
        foreach (var (role, profile) in faults)
        {
            before[role] = await estate.GetAsync(role, "/admin/faults");
            await estate.SetFaultsAsync(role, profile);
        }

        try
        {
            return await scenario();
        }
        finally
        {
            foreach (var (role, profile) in before)
            {
                using var simulator = estate.Simulator(role);
                (await simulator.PutAsJsonAsync("/admin/faults", profile)).EnsureSuccessStatusCode().Dispose();
            }
        }
    }

    /// <summary>Releases <paramref name="count"/> orders through the gateway as the ERP would, keys <paramref name="prefix"/>1…n.</summary>
    private async Task<List<string>> ReleaseAsync(string prefix, int count)
    {
        using var gateway = estate.Gateway(TestPartnerKeys.Erp);
        var keys = Enumerable.Range(1, count).Select(n => $"{prefix}{n}").ToList();
        foreach (var key in keys)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments")
            {
                Content = JsonContent.Create(new
                {
                    businessKey = key,
                    customer = new { id = "C-1001", name = "Acme Retail" },
                    shipTo = new { name = "Acme DC North", street = "Hafenstraße 1", city = "Hamburg", postalCode = "20457", country = "DE" },
                    lines = new[] { new { sku = "SKU-100", quantity = 2, weightKg = 1.25m } },
                    promisedBy = DateTimeOffset.UtcNow.AddDays(5),
                    serviceLevel = "standard",
                }),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await gateway.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        return keys;
    }

    private Task<List<string>> OpenExceptionsAsync(string keyPrefix, string type) => estate.QueryAsync(
        "SELECT business_key FROM shipment_exceptions WHERE starts_with(business_key, $1) AND type = $2 AND status = 'open'",
        r => r.GetString(0), keyPrefix, type);

    /// <summary>
    /// Until every shipment of the keys is settled (terminal, or with an open exception; with
    /// <paramref name="requireTerminal"/> terminal only) and stays so for two seconds.
    /// </summary>
    private async Task WaitSettledAsync(string keyPrefix, bool requireTerminal = false)
    {
        List<string> unsettled = [];
        async Task<bool> SettledAsync()
        {
            unsettled = requireTerminal
                ? (await estate.QueryAsync("SELECT business_key || ' ' || state FROM shipments WHERE starts_with(business_key, $1) AND NOT state = ANY($2)",
                    r => r.GetString(0), keyPrefix, FullFlowEstateFixture.Settled))
                : await estate.UnsettledAsync(keyPrefix);
            return unsettled.Count == 0;
        }

        try
        {
            await Eventually.UntilAsync(async () => await SettledAsync() && await estate.CarriersIdleAsync() && await Task.Delay(2000).ContinueWith(_ => true) && await SettledAsync(),
                SettleTimeout, $"every {keyPrefix}… shipment settled");
        }
        catch (Exception)
        {
            output.WriteLine($"unsettled: {string.Join(", ", unsettled.Take(30))}");
            throw;
        }
    }
}
