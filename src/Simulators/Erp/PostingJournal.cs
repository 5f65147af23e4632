using System.Collections.Concurrent;

namespace LogisticsSync.Simulators.Erp;

/// <summary>The two postings the orchestrator triggers in the ERP once a shipment is delivered.</summary>
public enum PostingKind
{
    GoodsIssue,
    Invoice,
}

/// <summary>An ERP document: one goods issue or invoice per shipment, whatever number of times it was triggered.</summary>
public sealed record PostedDocument(string Document, PostingKind Kind, string BusinessKey, Guid ShipmentId, DateTimeOffset OccurredAt, DateTimeOffset PostedAt, int Triggers);

/// <summary>What the ERP has posted (<c>GET /erp/api/goods-issues</c>, <c>/invoice-triggers</c>): documents and how many triggers were repeats.</summary>
public sealed record PostingReport(PostingKind Kind, int Documents, int Triggers, int Repeats, IReadOnlyList<PostedDocument> Posted);

/// <summary>
/// The ERP's postings (in memory: the ERP's own ledger, simulated). Idempotent per business key: a repeated
/// trigger finds the document already posted; the count of repeats lets a test prove nothing was posted twice.
/// </summary>
internal sealed class PostingJournal(TimeProvider time)
{
    private readonly ConcurrentDictionary<(PostingKind, string), PostedDocument> _documents = new();
    private int _sequence;

    /// <summary>The document for this trigger, and whether it was posted by this call (false: a repeat).</summary>
    public (PostedDocument Document, bool Posted) Post(PostingKind kind, string businessKey, Guid shipmentId, DateTimeOffset occurredAt)
    {
        var posted = false;
        var document = _documents.AddOrUpdate(
            (kind, businessKey),
            _ =>
            {
                posted = true;
                var prefix = kind == PostingKind.GoodsIssue ? "GI" : "INV";
                return new PostedDocument($"{prefix}-{Interlocked.Increment(ref _sequence):D7}", kind, businessKey, shipmentId, occurredAt, time.GetUtcNow(), 1);
            },
            (_, existing) => existing with { Triggers = existing.Triggers + 1 });
        return (document, posted);
    }

    public PostingReport Report(PostingKind kind)
    {
        var documents = _documents.Values.Where(d => d.Kind == kind).OrderBy(d => d.Document, StringComparer.Ordinal).ToList();
        var triggers = documents.Sum(d => d.Triggers);
        return new PostingReport(kind, documents.Count, triggers, triggers - documents.Count, documents);
    }
}
