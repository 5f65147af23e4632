using System.Collections.Concurrent;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Messaging;

namespace LogisticsSync.Simulators.Wms;

/// <summary>The WMS's own status codes for an order, in the order the floor reaches them.</summary>
public static class WarehouseStatus
{
    public const string Received = "RECEIVED";
    public const string Allocated = "ALLOCATED";
    public const string Picked = "PICKED";
    public const string ShortPicked = "SHORT_PICKED";
    public const string Packed = "PACKED";

    public static string Of(string milestone) => milestone switch
    {
        MilestoneNames.Allocated => Allocated,
        MilestoneNames.Picked => Picked,
        MilestoneNames.ShortPicked => ShortPicked,
        MilestoneNames.Packed => Packed,
        _ => Received,
    };

    /// <summary>How far the order is: a reordered confirmation never moves the record back.</summary>
    public static int Rank(string status) => status switch
    {
        Allocated => 1,
        Picked or ShortPicked => 2,
        Packed => 3,
        _ => 0,
    };
}

/// <summary>One order as the WMS's record has it (<c>GET /wms/api/orders/{businessKey}</c>).</summary>
public sealed record WarehouseOrderView(
    string BusinessKey,
    string Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? StatusAt,
    int Confirmations,
    bool ConfirmationsLost,
    int Resends);

/// <summary>
/// The WMS's order records: what the floor did with every order it received, and the confirmations it made of it,
/// kept so they can be sent again under the same event ids (the orchestrator's inbox absorbs the ones it has).
/// </summary>
internal sealed class WarehouseOrderBook(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _orders = new(StringComparer.Ordinal);

    public void Received(string businessKey, bool confirmationsLost) =>
        _orders.AddOrUpdate(businessKey, _ => new Entry(time.GetUtcNow(), confirmationsLost), (_, entry) => entry);

    public void Confirmed(string businessKey, MilestoneReport report)
    {
        if (_orders.TryGetValue(businessKey, out var entry))
        {
            entry.Confirmed(report);
        }
    }

    public WarehouseOrderView? Find(string businessKey) => _orders.TryGetValue(businessKey, out var entry) ? entry.View(businessKey) : null;

    /// <summary>The confirmations made so far, to send again; null when the WMS never received the order.</summary>
    public IReadOnlyList<MilestoneReport>? Resend(string businessKey) => _orders.TryGetValue(businessKey, out var entry) ? entry.Resend() : null;

    /// <summary>Whether the order's confirmations are still being lost (until someone asks for them again).</summary>
    public bool ConfirmationsLost(string businessKey) => _orders.TryGetValue(businessKey, out var entry) && entry.Lost;

    private sealed class Entry(DateTimeOffset receivedAt, bool lost)
    {
        private readonly Lock _gate = new();
        private readonly List<MilestoneReport> _reports = [];
        private string _status = WarehouseStatus.Received;
        private DateTimeOffset? _statusAt;
        private bool _lost = lost;
        private int _resends;

        public bool Lost
        {
            get
            {
                lock (_gate)
                {
                    return _lost;
                }
            }
        }

        public void Confirmed(MilestoneReport report)
        {
            lock (_gate)
            {
                _reports.Add(report);
                var status = WarehouseStatus.Of(report.Milestone);
                if (WarehouseStatus.Rank(status) > WarehouseStatus.Rank(_status))
                {
                    (_status, _statusAt) = (status, report.OccurredAt);
                }
            }
        }

        public IReadOnlyList<MilestoneReport> Resend()
        {
            lock (_gate)
            {
                _lost = false;
                _resends++;
                return [.. _reports];
            }
        }

        public WarehouseOrderView View(string businessKey)
        {
            lock (_gate)
            {
                return new WarehouseOrderView(businessKey, _status, receivedAt, _statusAt, _reports.Count, _lost, _resends);
            }
        }
    }
}
