namespace LogisticsSync.Hosting.Model;

/// <summary>
/// What one broker user may do on the node's vhost: RabbitMQ's configure/write/read regular expressions over
/// exchange and queue names, and per topic exchange the routing keys it may publish (write) and bind (read).
/// A topic exchange the user has no entry for is open to it (RabbitMQ's rule), so a restricted user lists
/// every topic exchange it may touch. An empty expression grants nothing.
/// </summary>
public sealed record RabbitMQPermissions(string Configure, string Write, string Read)
{
    /// <summary>Everything on the vhost, but no management and no impersonation: what a plain reference gets.</summary>
    public static readonly RabbitMQPermissions Vhost = new(".*", ".*", ".*");

    public IReadOnlyList<RabbitMQTopicPermission> Topics { get; init; } = [];

    /// <summary>
    /// RabbitMQ's <c>impersonator</c> tag: the user may publish with another user's <c>user-id</c>, which a
    /// consumer that re-publishes what it received (retries, replays) needs to keep the original publisher.
    /// </summary>
    public bool Impersonator { get; init; }
}

/// <summary>The routing keys a user may publish to (<paramref name="Write"/>) and bind from (<paramref name="Read"/>) one topic exchange.</summary>
public sealed record RabbitMQTopicPermission(string Exchange, string Write, string Read);
