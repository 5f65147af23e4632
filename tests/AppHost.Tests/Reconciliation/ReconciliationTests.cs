using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests.Reconciliation;

/// <summary>
/// Reconciliation against the real estate (docs/reconciliation.md): each silent-loss knob's losses are found in one run,
/// nothing else is, every one is healed once, and a second run finds and heals nothing.
/// </summary>
[Collection(ReconciliationEstateCollection.Name)]
public sealed class ReconciliationTests(ReconciliationEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    // Generous: an invoice claimed while its goods issue is in flight waits out that task's lease (PartnerWork:Lease, 2 min).
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(240);
    private static readonly string[] Carriers = [ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine];
    private readonly IDisposable _logs = estate.App.StreamLogsTo(line =>
    {
        if (line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal) || line.Contains("Reconciliation", StringComparison.Ordinal))
        {
            output.WriteLine(line);
        }
    });

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task SilentLosses_OneRunFindsEachWithNoFalseFinding_HealsOnce_SecondRunFindsNothing()
    {
        await Eventually.UntilAsync(async () => (await estate.GetAsync(ResourceNames.Erp, "/erp/releases")).GetProperty("released").GetInt32() == ReconciliationEstateFixture.OrderCount,
            SettleTimeout, "the ERP released its orders");
        await WaitQuietAsync();

        var (lostInvoices, lostConfirmations, carrierStuck) = await LossesAsync();
        output.WriteLine($"lost: {lostInvoices.Count} invoices, {lostConfirmations.Count} orders' confirmations, {carrierStuck.Count} shipments behind a lost status");
        Assert.NotEmpty(lostInvoices);
        Assert.NotEmpty(lostConfirmations);
        Assert.NotEmpty(carrierStuck);

        // No more losses from here (those made stay lost): what the heals set going must flow to the end untouched.
        foreach (var role in FullFlow.FullFlowEstateFixture.Simulators)
        {
            await estate.SetFaultsAsync(role, new Dictionary<string, object>());
        }

        using (var portal = estate.Gateway(TestPartnerKeys.Portal))
        using (var forbidden = await portal.PostAsync("/api/v1/reconciliation/runs", content: null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        var first = await RunAsync();
        var findings = first.GetProperty("findings").EnumerateArray().ToList();
        foreach (var finding in findings)
        {
            output.WriteLine($"{finding.GetProperty("businessKey")} {finding.GetProperty("partner")} {finding.GetProperty("subject")} {finding.GetProperty("drift")}: " +
                $"ours {finding.GetProperty("ours")}, theirs {finding.GetProperty("theirs")} → {finding.GetProperty("action")} {finding.GetProperty("actionDetail")}");
        }

        // Exactly the losses, each where it happened, and nothing else: no false finding on the shipments that flowed cleanly.
        Assert.Equal(lostInvoices, KeysOf(findings, f => f.Partner == "erp" && f.Subject == "invoice" && f.Drift == "missing-at-partner"));
        Assert.Equal(lostConfirmations, KeysOf(findings, f => f.Partner == "wms" && f.Drift == "state-behind"));
        Assert.Equal(carrierStuck, KeysOf(findings, f => f.Partner.StartsWith("carrier-", StringComparison.Ordinal) && f.Drift == "state-behind"));
        Assert.Equal(lostInvoices.Count + lostConfirmations.Count + carrierStuck.Count, findings.Count);
        Assert.All(findings, f => Assert.Equal("healed", f.GetProperty("action").GetString()));
        Assert.Equal(findings.Count, first.GetProperty("run").GetProperty("healed").GetInt32());

        await WaitQuietAsync();
        var states = await estate.StatesAsync(estate.KeyPrefix);
        output.WriteLine($"states after healing: {JsonSerializer.Serialize(states)}");
        Assert.Equal(ReconciliationEstateFixture.OrderCount, states.GetValueOrDefault("Invoiced") + states.GetValueOrDefault("Closed"));

        var second = await RunAsync();
        Assert.Empty(second.GetProperty("findings").EnumerateArray());
        Assert.Equal(0, second.GetProperty("run").GetProperty("healed").GetInt32());

        // Posted exactly once: each lost invoice is one document, posted by the heal's trigger (the lost one plus the heal).
        var invoices = await estate.GetAsync(ResourceNames.Erp, "/erp/api/invoice-triggers");
        Assert.Equal(0, invoices.GetProperty("lost").GetInt32());
        var posted = invoices.GetProperty("posted").EnumerateArray().ToDictionary(d => d.GetProperty("businessKey").GetString()!, d => d.GetProperty("triggers").GetInt32());
        Assert.Equal(ReconciliationEstateFixture.OrderCount, posted.Count);
        Assert.All(lostInvoices, key => Assert.Equal(2, posted[key]));
    }

    private static SortedSet<string> KeysOf(List<JsonElement> findings, Func<(string Partner, string Subject, string Drift), bool> where) =>
        new(findings.Where(f => where((f.GetProperty("partner").GetString()!, f.GetProperty("subject").GetString()!, f.GetProperty("drift").GetString()!)))
            .Select(f => f.GetProperty("businessKey").GetString()!), StringComparer.Ordinal);

    /// <summary>A run on demand through the gateway with the operations key, then the run with its findings.</summary>
    private async Task<JsonElement> RunAsync()
    {
        using var operations = estate.Gateway(TestPartnerKeys.Operations);
        using var started = await operations.PostAsync("/api/v1/reconciliation/runs", content: null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var run = await started.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine($"run: {run}");
        return await operations.GetFromJsonAsync<JsonElement>(run.GetProperty("links").GetProperty("self").GetString());
    }

    /// <summary>What the simulators lost, by business key: as their own records say, not as the orchestrator sees it.</summary>
    private async Task<(SortedSet<string> Invoices, SortedSet<string> Confirmations, SortedSet<string> CarrierStuck)> LossesAsync()
    {
        var invoices = new SortedSet<string>((await estate.GetAsync(ResourceNames.Erp, "/erp/api/invoice-triggers")).GetProperty("lostBusinessKeys")
            .EnumerateArray().Select(k => k.GetString()!), StringComparer.Ordinal);

        var keys = await estate.QueryAsync("SELECT business_key FROM shipments WHERE starts_with(business_key, $1)", r => r.GetString(0), estate.KeyPrefix);
        using var wms = estate.Simulator(ResourceNames.Wms);
        using var status = await wms.PostAsJsonAsync("/wms/api/orders/status-query", new { orders = keys });
        var confirmations = new SortedSet<string>((await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orders").EnumerateArray()
            .Where(o => o.GetProperty("confirmationsLost").GetBoolean()).Select(o => o.GetProperty("businessKey").GetString()!), StringComparer.Ordinal);

        // A lost status overtaken by a later one did no harm; only shipments the losses left short of the invoice are drift.
        var lostStatuses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var carrier in Carriers)
        {
            lostStatuses.UnionWith((await estate.GetAsync(carrier, "/carrier/journeys")).GetProperty("shipments").EnumerateArray()
                .Where(j => j.GetArrayLength("lost") > 0).Select(j => j.GetProperty("businessKey").GetString()!));
        }

        var notInvoiced = await estate.QueryAsync("SELECT business_key FROM shipments WHERE starts_with(business_key, $1) AND state NOT IN ('Invoiced', 'Closed')",
            r => r.GetString(0), estate.KeyPrefix);
        var stuck = new SortedSet<string>(notInvoiced.Where(lostStatuses.Contains), StringComparer.Ordinal);
        return (invoices, confirmations, stuck);
    }

    /// <summary>Nothing moving: the WMS idle, every journey driven, no partner work pending, and still so two seconds later.</summary>
    private async Task WaitQuietAsync()
    {
        var what = "";
        async Task<bool> QuietAsync()
        {
            var wms = (await estate.GetAsync(ResourceNames.Wms, "/wms/work")).GetProperty("ordersInProgress").GetInt64();
            var carriersIdle = await estate.CarriersIdleAsync();
            var tasks = await estate.QueryAsync("SELECT kind || ' ' || count(*) FROM partner_tasks WHERE completed_at IS NULL GROUP BY kind", r => r.GetString(0));
            var outbox = (await estate.QueryAsync("SELECT count(*) FROM outbox WHERE published_at IS NULL", r => r.GetInt64(0)))[0];
            what = $"wms in progress {wms}, carriers idle {carriersIdle}, tasks pending [{string.Join(", ", tasks)}], outbox unsent {outbox}";
            return wms == 0 && carriersIdle && tasks.Count == 0 && outbox == 0;
        }

        try
        {
            await Eventually.UntilAsync(async () => await QuietAsync() && await Task.Delay(2000).ContinueWith(_ => true) && await QuietAsync(), SettleTimeout, "the estate quiet");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"not quiet: {what}; states {JsonSerializer.Serialize(await estate.StatesAsync(estate.KeyPrefix))}");
            var pending = await estate.QueryAsync("""
                SELECT t.kind || ' ' || s.business_key || ' ' || s.state || ' attempts ' || t.attempts || ' failures ' || t.failures || ' due ' || t.due_at
                    || ' error ' || COALESCE(t.last_error, '-') || ' claimed ' || COALESCE(t.claimed_by, '-')
                FROM partner_tasks t JOIN shipments s ON s.id = t.shipment_id WHERE t.completed_at IS NULL
                """, r => r.GetString(0));
            pending.ForEach(output.WriteLine);
            throw;
        }
    }
}

internal static class JsonElementExtensions
{
    public static int GetArrayLength(this JsonElement element, string property) => element.GetProperty(property).GetArrayLength();
}
