namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>
/// Per-client token buckets, bound from <c>Gateway:Throttling</c>. A client names its tier
/// (<c>Gateway:Clients:{id}:Tier</c>); clients without one get <see cref="DefaultTier"/>.
/// </summary>
public sealed class ThrottlingOptions
{
    public const string SectionName = "Gateway:Throttling";

    public string DefaultTier { get; set; } = "standard";

    public Dictionary<string, ThrottlingTierOptions> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How many gateway replicas share each limit. While Redis is unreachable every replica enforces
    /// 1/n of each bucket on its own, so n replicas together still hold about one limit.
    /// </summary>
    public int ReplicasSharingLimit { get; set; } = 1;

    /// <summary>How long the hot path waits for Redis before deciding locally: a slow Redis must not become a slow edge.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);
}
