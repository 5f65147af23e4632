using System.Text.Json;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Load.Chaos.Monitoring;

/// <summary>
/// The queues that hold work: every one but the unrouted sink, where the events exchange puts each event no system
/// subscribes to (all but the WMS's releases today), by design and without a consumer. Its depth only grows, so a
/// backlog or a drained check that counted it would never see the estate catch up.
/// </summary>
public static class WorkQueues
{
    public static bool Contains(string queue) => queue != BrokerTopology.UnroutedQueue;

    /// <summary>Messages in the work queues of RabbitMQ's management answer to <c>GET api/queues</c>.</summary>
    public static long Depth(JsonElement queues) => queues.EnumerateArray()
        .Where(q => q.TryGetProperty("name", out var name) && Contains(name.GetString() ?? ""))
        .Sum(q => q.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : 0);
}
