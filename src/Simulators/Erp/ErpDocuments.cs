namespace LogisticsSync.Simulators.Erp;

/// <summary>The ERP's release of an order as its own record has it: status, the shipment it was given, the units ordered.</summary>
public sealed record ReleaseDocument(string Status, Guid? ShipmentId, int Quantity);

/// <summary>One order's documents in the ERP: its release, goods issue and invoice; null where the ERP has none.</summary>
public sealed record OrderDocuments(string BusinessKey, ReleaseDocument? Release, PostedDocument? GoodsIssue, PostedDocument? Invoice);

/// <summary>A documents query: up to <see cref="ErpDocuments.MaxOrders"/> order numbers.</summary>
public sealed record OrderDocumentsQuery(IReadOnlyList<string>? BusinessKeys);

/// <summary>
/// The ERP's documents per order (reconciliation reads them): <c>GET /erp/api/orders/{businessKey}/documents</c> for one,
/// <c>POST /erp/api/documents/query</c> for many at once. Reads, outside the fault profile: a reconciliation must see
/// what the ERP recorded, not another simulated failure.
/// </summary>
internal static class ErpDocuments
{
    public const int MaxOrders = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/orders/{businessKey}/documents", (string businessKey, ReleaseLedger releases, PostingJournal journal) =>
            TypedResults.Ok(Of(businessKey, releases, journal)));
        api.MapPost("/documents/query", (OrderDocumentsQuery query, ReleaseLedger releases, PostingJournal journal) =>
            query.BusinessKeys is not { Count: > 0 and <= MaxOrders } keys || keys.Any(string.IsNullOrWhiteSpace)
                ? Results.ValidationProblem(
                    new Dictionary<string, string[]> { ["businessKeys"] = [$"is required: 1 to {MaxOrders} order numbers, none empty."] },
                    title: "The documents query is invalid")
                : TypedResults.Ok(keys.Distinct(StringComparer.Ordinal).Select(key => Of(key, releases, journal)).ToList()));
    }

    private static OrderDocuments Of(string businessKey, ReleaseLedger releases, PostingJournal journal) => new(
        businessKey,
        releases.Find(businessKey) is { } release ? new ReleaseDocument(release.Status.ToString(), release.ShipmentId, release.Quantity) : null,
        journal.Find(PostingKind.GoodsIssue, businessKey),
        journal.Find(PostingKind.Invoice, businessKey));
}
