using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Orchestrator.Partners;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>
/// Reads the partners' records of a run's shipments through their query APIs, in batches of
/// <see cref="ReconciliationOptions.BatchSize"/> and a few requests in flight at once: ten thousand shipments are a
/// few dozen requests, not ten thousand. Each partner is asked only about the shipments its rules look at.
/// </summary>
internal sealed partial class PartnerRecordReader(IHttpClientFactory httpClients, IOptionsMonitor<ReconciliationOptions> options, ILogger<PartnerRecordReader> logger)
{
    public const string HttpClientName = "reconciliation";
    public const string Wms = "wms";

    private static readonly int Packed = ShipmentSnapshot.PositionOf(ShipmentState.Packed)!.Value;
    private static readonly int Booked = ShipmentSnapshot.PositionOf(ShipmentState.Booked)!.Value;
    private static readonly int Delivered = ShipmentSnapshot.PositionOf(ShipmentState.Delivered)!.Value;

    public static string CarrierPartner(string carrierId) => $"carrier-{carrierId}";

    public async Task<PartnerRecords> ReadAsync(IReadOnlyList<ShipmentSnapshot> shipments, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var records = new PartnerRecords();
        using var gate = new SemaphoreSlim(Math.Max(1, settings.MaxParallelRequests));
        var reads = new List<Task>();

        var erpKeys = shipments.Where(s => s.SourceSystem == PartnerNames.Erp).Select(s => s.BusinessKey).ToList();
        reads.AddRange(Batches(erpKeys, settings.BatchSize).Select(keys => ReadAsync<List<ErpOrderDocuments>>(
            gate, records, PartnerNames.Erp, "/erp/api/documents/query", new { businessKeys = keys }, answer =>
            {
                foreach (var documents in answer)
                {
                    records.Erp[documents.BusinessKey] = documents;
                }
            }, cancellationToken)));

        // The WMS's part ends at packed: it is asked about the orders it still works on.
        var wmsKeys = shipments.Where(s => s.Position is { } p && p < Packed).Select(s => s.BusinessKey).ToList();
        records.WmsAsked.UnionWith(wmsKeys);
        reads.AddRange(Batches(wmsKeys, settings.BatchSize).Select(keys => ReadAsync<WmsStatusAnswer>(
            gate, records, Wms, "/wms/api/orders/status-query", new { orders = keys }, answer => answer.Orders.ToList().ForEach(o => records.Wms[o.BusinessKey] = o),
            cancellationToken)));

        // The TMS speaks for the carriers until the goods are delivered.
        var tenders = shipments.Where(s => s.BookedTenderId is not null && s.Position < Delivered).Select(s => s.BookedTenderId!.Value).ToList();
        records.TmsAsked.UnionWith(tenders);
        reads.AddRange(Batches(tenders, settings.BatchSize).Select(ids => ReadAsync<TmsTenderAnswer>(
            gate, records, PartnerNames.Tms, "/tms/api/tenders/query", new { tenderIds = ids }, answer => answer.Tenders.ToList().ForEach(t => records.Tms[t.TenderId] = t),
            cancellationToken)));

        foreach (var carrier in shipments.Where(s => s.CarrierId is not null && s.TrackingNumber is not null && s.Position is { } p && p >= Booked && p <= Delivered)
                     .GroupBy(s => s.CarrierId!))
        {
            var numbers = carrier.Select(s => s.TrackingNumber!).ToList();
            records.CarrierAsked.UnionWith(numbers.Select(n => (carrier.Key, n)));
            reads.AddRange(Batches(numbers, settings.BatchSize).Select(batch => ReadAsync<CarrierTrackingAnswer>(
                gate, records, CarrierPartner(carrier.Key), "/carrier/api/tracking/query", new { trackingNumbers = batch },
                answer => answer.Shipments.ToList().ForEach(t => records.Carriers[(carrier.Key, t.TrackingNumber)] = t), cancellationToken)));
        }

        await Task.WhenAll(reads);
        return records;
    }

    private static IEnumerable<List<T>> Batches<T>(List<T> items, int size) => items.Chunk(Math.Max(1, size)).Select(chunk => chunk.ToList());

    /// <summary>One batch: asked, read, merged under a lock (batches of one partner answer concurrently); a failure marks the partner unavailable.</summary>
    private async Task ReadAsync<TAnswer>(
        SemaphoreSlim gate, PartnerRecords records, string partner, string path, object query, Action<TAnswer> merge, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsJsonAsync(new Uri(new Uri($"http://{partner}"), path), query, JsonSerializerOptions.Web, cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<TAnswer>(JsonSerializerOptions.Web, cancellationToken)
                ?? throw new JsonException("an empty answer");
            lock (records)
            {
                merge(answer);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            lock (records)
            {
                records.Unavailable.Add(partner);
            }

            LogPartnerUnavailable(partner, path, exception.Message);
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(EventId = LogEventIds.ReconciliationPartnerUnavailable, Level = LogLevel.Warning, Message = "Reconciliation could not read {Partner} ({Path}): {Reason}; its comparisons are skipped this run")]
    private partial void LogPartnerUnavailable(string partner, string path, string reason);
}
