namespace LogisticsSync.Orchestrator.Reconciliation;

// The partners' records as reconciliation reads them. Partners stay independent: these are the orchestrator's own
// reading of each partner's query API (docs/simulators.md), with only the fields it compares.

internal sealed record ErpRelease(string Status, Guid? ShipmentId, int Quantity);

internal sealed record ErpDocument(string Document, DateTimeOffset PostedAt);

internal sealed record ErpOrderDocuments(string BusinessKey, ErpRelease? Release, ErpDocument? GoodsIssue, ErpDocument? Invoice);

internal sealed record WmsOrder(string BusinessKey, string Status, DateTimeOffset? StatusAt);

internal sealed record WmsStatusAnswer(IReadOnlyList<WmsOrder> Orders, IReadOnlyList<string> Unknown);

internal sealed record TmsTender(Guid TenderId, string CarrierId, string Outcome, string? BookingReference, string? TrackingNumber);

internal sealed record TmsTenderAnswer(IReadOnlyList<TmsTender> Tenders, IReadOnlyList<Guid> Unknown);

internal sealed record CarrierTracking(string TrackingNumber, string BookingReference, string BusinessKey, string? Status, DateTimeOffset? StatusAt);

internal sealed record CarrierTrackingAnswer(string CarrierId, IReadOnlyList<CarrierTracking> Shipments, IReadOnlyList<string> Unknown);

/// <summary>
/// Everything the partners said in one run, by the key each is asked by; a key asked and not answered is absent from
/// its dictionary and present in the matching "asked" set. A partner that could not be read is in <see cref="Unavailable"/>.
/// </summary>
internal sealed class PartnerRecords
{
    public Dictionary<string, ErpOrderDocuments> Erp { get; } = new(StringComparer.Ordinal);

    public HashSet<string> WmsAsked { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WmsOrder> Wms { get; } = new(StringComparer.Ordinal);

    public HashSet<Guid> TmsAsked { get; } = [];

    public Dictionary<Guid, TmsTender> Tms { get; } = [];

    /// <summary>Keyed by (carrier id, tracking number).</summary>
    public HashSet<(string, string)> CarrierAsked { get; } = [];

    public Dictionary<(string, string), CarrierTracking> Carriers { get; } = [];

    public HashSet<string> Unavailable { get; } = new(StringComparer.Ordinal);
}
