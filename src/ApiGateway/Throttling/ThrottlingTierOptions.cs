namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>A token bucket, named as System.Threading.RateLimiting names it.</summary>
public sealed class ThrottlingTierOptions
{
    /// <summary>The bucket's size: the burst a client may send at once.</summary>
    public int TokenLimit { get; set; } = 100;

    /// <summary>Tokens added back every <see cref="ReplenishmentPeriod"/> (in Redis continuously, at the same average rate).</summary>
    public int TokensPerPeriod { get; set; } = 50;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    public double TokensPerSecond => TokensPerPeriod / ReplenishmentPeriod.TotalSeconds;

    /// <summary>Seconds an empty bucket takes to fill: the window <c>w</c> of the RateLimit-Policy header.</summary>
    public long WindowSeconds => (long)Math.Ceiling(TokenLimit / TokensPerSecond);

    public bool IsValid => TokenLimit > 0 && TokensPerPeriod > 0 && ReplenishmentPeriod > TimeSpan.Zero;
}
