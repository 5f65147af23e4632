using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>
/// The fallback while Redis is unreachable: in-process token buckets, each replica holding its
/// share (1/n) of every limit, so clients stay limited instead of the edge failing open or closed.
/// </summary>
internal sealed class LocalTokenBuckets : IDisposable
{
    // Keyed by client and limits, so a limit changed at run time gets a fresh bucket.
    private readonly ConcurrentDictionary<(string ClientId, int TokenLimit, int TokensPerPeriod, TimeSpan Period), TokenBucketRateLimiter> _buckets = new();

    /// <summary>The share of <paramref name="tier"/> one of <paramref name="replicas"/> replicas enforces on its own.</summary>
    public static ThrottlingTierOptions ShareOf(ThrottlingTierOptions tier, int replicas) => new()
    {
        TokenLimit = Math.Max(1, tier.TokenLimit / Math.Max(1, replicas)),
        TokensPerPeriod = tier.TokensPerPeriod,
        // Slowing the period rather than dividing the tokens keeps the rate exact for small limits.
        ReplenishmentPeriod = tier.ReplenishmentPeriod * Math.Max(1, replicas),
    };

    public ThrottleDecision TakeOne(string clientId, ThrottlingTierOptions share)
    {
        var bucket = _buckets.GetOrAdd((clientId, share.TokenLimit, share.TokensPerPeriod, share.ReplenishmentPeriod), key =>
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = key.TokenLimit,
                TokensPerPeriod = key.TokensPerPeriod,
                ReplenishmentPeriod = key.Period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

        using var lease = bucket.AttemptAcquire(1);
        var remaining = bucket.GetStatistics()?.CurrentAvailablePermits ?? 0;
        var missing = share.TokenLimit - remaining;
        return new ThrottleDecision(
            lease.IsAcquired,
            remaining,
            lease.IsAcquired ? TimeSpan.Zero : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : share.ReplenishmentPeriod,
            TimeSpan.FromSeconds(Math.Ceiling((double)missing / share.TokensPerPeriod) * share.ReplenishmentPeriod.TotalSeconds),
            ThrottleEnforcement.LocalFallback);
    }

    public void Dispose()
    {
        foreach (var bucket in _buckets.Values)
        {
            bucket.Dispose();
        }
    }
}
