using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting;

namespace LogisticsSync.Hosting.Testing;

/// <summary>A queue as the broker's management API reports it: messages waiting, and delivered but not yet settled.</summary>
public sealed record BrokerQueue(string Name, long Ready, long Unacknowledged);

/// <summary>
/// Reads the RabbitMQ node's queues through its management API, so a test can check that every delivery
/// was settled (acked or rejected): an unacknowledged message is one a consumer holds and never finished.
/// The management API refreshes its figures every few seconds: wait for them with <see cref="SettledAsync"/>.
/// </summary>
public static class BrokerQueues
{
    public static async Task<IReadOnlyList<BrokerQueue>> ListAsync(this DistributedApplication app, string rabbitMQ)
    {
        var amqp = new Uri(app.GetConnectionString(rabbitMQ));
        using var client = new HttpClient { BaseAddress = app.GetEndpoint(rabbitMQ, "management"), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        var queues = await client.GetFromJsonAsync<JsonElement>("/api/queues?columns=name,messages_ready,messages_unacknowledged");
        return [.. queues.EnumerateArray().Select(queue => new BrokerQueue(
            queue.GetProperty("name").GetString()!, Count(queue, "messages_ready"), Count(queue, "messages_unacknowledged")))];
    }

    /// <summary>How often the management API refreshes its queue figures (RabbitMQ's collect_statistics_interval), with a margin.</summary>
    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Waits until no queue holds an unacknowledged message and <paramref name="drained"/> hold none waiting
    /// either, and checks again a statistics interval later: a first reading can predate the deliveries.
    /// </summary>
    public static async Task SettledAsync(this DistributedApplication app, string rabbitMQ, TimeSpan timeout, params string[] drained)
    {
        var what = $"every broker delivery settled and {string.Join(", ", drained)} drained";
        await Eventually.UntilAsync(async () => IsSettled(await app.ListAsync(rabbitMQ), drained), timeout, what);
        await Task.Delay(StatisticsInterval);
        await Eventually.UntilAsync(async () => IsSettled(await app.ListAsync(rabbitMQ), drained), timeout, what);
    }

    private static bool IsSettled(IReadOnlyList<BrokerQueue> queues, string[] drained) =>
        queues.All(queue => queue.Unacknowledged == 0 && (!drained.Contains(queue.Name) || queue.Ready == 0));

    // A queue the statistics have not reached yet has no figures: it has nothing to report.
    private static long Count(JsonElement queue, string name) =>
        queue.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;
}
