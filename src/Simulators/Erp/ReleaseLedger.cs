using System.Collections.Concurrent;

namespace LogisticsSync.Simulators.Erp;

public enum ReleaseStatus
{
    Pending,
    Released,
    Rejected,
}

/// <summary>What the ERP knows of one order's release: its key, its answer and what it took to get it.</summary>
public sealed record OrderReleaseView(
    string BusinessKey,
    string IdempotencyKey,
    ReleaseStatus Status,
    Guid? ShipmentId,
    int Attempts,
    int LostResponses,
    bool Resent,
    bool ResendReplayed,
    int? LastStatusCode,
    int Quantity);

/// <summary>The ERP's view of its releases, for reconciling with the orchestrator's (<c>GET /erp/releases</c>).</summary>
public sealed record ReleaseReport(
    int Orders,
    int Released,
    int Pending,
    int Rejected,
    int Attempts,
    int LostResponses,
    int Resent,
    int ResendsReplayed,
    IReadOnlyList<OrderReleaseView> Releases);

/// <summary>The ERP's record of every order it has started to release (in memory: the ERP's own database, simulated).</summary>
internal sealed class ReleaseLedger
{
    private readonly ConcurrentDictionary<string, OrderReleaseView> _orders = new(StringComparer.Ordinal);

    /// <summary>An order whose release begins, with the units it orders (what the ERP will invoice).</summary>
    public void Started(string businessKey, string idempotencyKey, int quantity) =>
        _orders[businessKey] = new OrderReleaseView(businessKey, idempotencyKey, ReleaseStatus.Pending, null, 0, 0, false, false, null, quantity);

    public OrderReleaseView? Find(string businessKey) => _orders.GetValueOrDefault(businessKey);

    public void Attempted(string businessKey) => Update(businessKey, view => view with { Attempts = view.Attempts + 1 });

    public void LostResponse(string businessKey) => Update(businessKey, view => view with { LostResponses = view.LostResponses + 1 });

    public void Answered(string businessKey, int statusCode, Guid? shipmentId) => Update(businessKey, view => view with
    {
        LastStatusCode = statusCode,
        ShipmentId = shipmentId ?? view.ShipmentId,
        Status = statusCode == 201 ? ReleaseStatus.Released : ReleaseStatus.Rejected,
    });

    public void Resent(string businessKey, bool replayed) => Update(businessKey, view => view with { Resent = true, ResendReplayed = replayed });

    public ReleaseReport Report()
    {
        var views = _orders.Values.OrderBy(v => v.BusinessKey, StringComparer.Ordinal).ToList();
        return new ReleaseReport(
            views.Count,
            views.Count(v => v.Status == ReleaseStatus.Released),
            views.Count(v => v.Status == ReleaseStatus.Pending),
            views.Count(v => v.Status == ReleaseStatus.Rejected),
            views.Sum(v => v.Attempts),
            views.Sum(v => v.LostResponses),
            views.Count(v => v.Resent),
            views.Count(v => v.ResendReplayed),
            views);
    }

    private void Update(string businessKey, Func<OrderReleaseView, OrderReleaseView> change) =>
        _orders.AddOrUpdate(businessKey, _ => throw new InvalidOperationException($"Order {businessKey} was never started."), (_, view) => change(view));
}
