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

/// <summary>
/// What the ERP has posted (<c>GET /erp/api/goods-issues</c>, <c>/invoice-triggers</c>): documents, how many triggers were
/// repeats, and the triggers it accepted but lost (LostInvoiceRate) and has not posted since.
/// </summary>
public sealed record PostingReport(PostingKind Kind, int Documents, int Triggers, int Repeats, int Lost, IReadOnlyList<string> LostBusinessKeys, IReadOnlyList<PostedDocument> Posted);

/// <summary>
/// The ERP's postings (in memory: the ERP's own ledger, simulated). Idempotent per business key: a repeated
/// trigger finds the document already posted; the count of repeats lets a test prove nothing was posted twice.
/// A trigger lost silently answers as if posted, under the number the document gets when a later trigger posts it.
/// </summary>
internal sealed class PostingJournal(TimeProvider time)
{
    private readonly ConcurrentDictionary<(PostingKind, string), PostedDocument> _documents = new();
    private readonly ConcurrentDictionary<(PostingKind, string), PostedDocument> _lost = new();
    private readonly Lock _gate = new();
    private int _sequence;

    /// <summary>
    /// The document for this trigger, and whether it was posted by this call (false: a repeat). With
    /// <paramref name="lose"/> a first trigger is answered as posted and then forgotten; a later one posts it.
    /// </summary>
    public (PostedDocument Document, bool Posted) Post(PostingKind kind, string businessKey, Guid shipmentId, DateTimeOffset occurredAt, Func<bool> lose)
    {
        lock (_gate)
        {
            var key = (kind, businessKey);
            if (_documents.TryGetValue(key, out var existing))
            {
                var repeat = existing with { Triggers = existing.Triggers + 1 };
                _documents[key] = repeat;
                return (repeat, false);
            }

            if (_lost.TryRemove(key, out var lost))
            {
                // The lost trigger counts: the journal shows it took two triggers to post this document.
                var found = lost with { PostedAt = time.GetUtcNow(), Triggers = lost.Triggers + 1 };
                _documents[key] = found;
                return (found, true);
            }

            var prefix = kind == PostingKind.GoodsIssue ? "GI" : "INV";
            var document = new PostedDocument($"{prefix}-{++_sequence:D7}", kind, businessKey, shipmentId, occurredAt, time.GetUtcNow(), 1);
            if (lose())
            {
                _lost[key] = document;
            }
            else
            {
                _documents[key] = document;
            }

            return (document, true);
        }
    }

    /// <summary>The posted documents of these orders (a lost trigger has none), for the documents query.</summary>
    public PostedDocument? Find(PostingKind kind, string businessKey) => _documents.GetValueOrDefault((kind, businessKey));

    public PostingReport Report(PostingKind kind)
    {
        var documents = _documents.Values.Where(d => d.Kind == kind).OrderBy(d => d.Document, StringComparer.Ordinal).ToList();
        var lost = _lost.Keys.Where(k => k.Item1 == kind).Select(k => k.Item2).Order(StringComparer.Ordinal).ToList();
        var triggers = documents.Sum(d => d.Triggers);
        return new PostingReport(kind, documents.Count, triggers, triggers - documents.Count, lost.Count, lost, documents);
    }
}
