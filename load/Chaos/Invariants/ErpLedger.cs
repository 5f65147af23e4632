using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Load.Chaos.Invariants;

/// <summary>
/// The ERP's ledger and journal, read through its query API and kept by the runner as they were seen. The ERP
/// simulator holds them in memory, so a killed ERP forgets them; keeping every order and document ever seen makes
/// a restart visible (an order it released before the kill, a document posted again under a new number).
/// Against a running estate, orders the ERP had already started before the run are not the run's.
/// </summary>
public sealed class ErpLedger(Uri erp, string serviceKey) : IDisposable
{
    // The journal is the ERP's system API, which answers the estate's services only.
    private readonly HttpClient _client = new() { BaseAddress = erp, Timeout = TimeSpan.FromSeconds(10), DefaultRequestHeaders = { { ServiceKeyConvention.HeaderName, serviceKey } } };
    private readonly Dictionary<string, ErpOrder> _orders = new(StringComparer.Ordinal);
    private readonly HashSet<Posting> _postings = [];
    private HashSet<string> _before = [];

    public IReadOnlyList<ErpOrder> Orders
    {
        get
        {
            lock (_orders)
            {
                return [.. _orders.Values.Where(o => !_before.Contains(o.BusinessKey)).OrderBy(o => o.BusinessKey, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<Posting> Postings
    {
        get
        {
            lock (_orders)
            {
                return [.. _postings.Where(p => !_before.Contains(p.BusinessKey))];
            }
        }
    }

    /// <summary>Orders the ERP released (or started) before the run: excluded from the run's invariants.</summary>
    public async Task MarkStartAsync(CancellationToken cancellationToken)
    {
        var releases = await _client.GetFromJsonAsync<JsonElement>("/erp/releases", cancellationToken);
        _before = [.. releases.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("businessKey").GetString()!)];
    }

    /// <summary>Reads the ledger and journal now; false when the ERP could not answer (it is down or in maintenance).</summary>
    public async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            var releases = await _client.GetFromJsonAsync<JsonElement>("/erp/releases", cancellationToken);
            var goodsIssues = await _client.GetFromJsonAsync<JsonElement>("/erp/api/goods-issues", cancellationToken);
            var invoices = await _client.GetFromJsonAsync<JsonElement>("/erp/api/invoice-triggers", cancellationToken);
            lock (_orders)
            {
                foreach (var release in releases.GetProperty("releases").EnumerateArray())
                {
                    var order = new ErpOrder(release.GetProperty("businessKey").GetString()!, Status(release.GetProperty("status")),
                        release.GetProperty("shipmentId").ValueKind == JsonValueKind.Null ? null : release.GetProperty("shipmentId").GetGuid());
                    // A restarted ERP starts the order again as pending: what it knew before the kill still stands.
                    if (!_orders.TryGetValue(order.BusinessKey, out var known) || known.Status != "Released" || order.Status == "Released")
                    {
                        _orders[order.BusinessKey] = order;
                    }
                }

                foreach (var (kind, report) in new[] { ("goods-issue", goodsIssues), ("invoice", invoices) })
                {
                    foreach (var document in report.GetProperty("posted").EnumerateArray())
                    {
                        _postings.Add(new Posting(kind, document.GetProperty("businessKey").GetString()!, document.GetProperty("document").GetString()!));
                    }
                }
            }

            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Status(JsonElement status) => status.ValueKind == JsonValueKind.Number
        ? status.GetInt32() switch { 0 => "Pending", 1 => "Released", _ => "Rejected" }
        : status.GetString()!;
}
