using LogisticsSync.ApiGateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>
/// Decides whether a client may send one more request: through the bucket shared in Redis while
/// Redis answers, through this replica's local share while it does not. Switching either way is
/// logged once and shown in <c>/health</c>; the next request after Redis is back uses Redis again.
/// </summary>
internal sealed partial class ClientThrottle : IDisposable
{
    private readonly NonBlockingRedis _redis;
    private readonly LocalTokenBuckets _local = new();
    private readonly IOptionsMonitor<ThrottlingOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ClientThrottle> _logger;
    private readonly Lock _modeLock = new();
    private FallbackState? _fallback;

    public ClientThrottle(NonBlockingRedis redis, IOptionsMonitor<ThrottlingOptions> options, TimeProvider clock, ILogger<ClientThrottle> logger)
    {
        _redis = redis;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>
    /// For <c>/health</c>: why and since when this replica enforces local buckets, or null while it
    /// uses Redis. Probes Redis itself, so the answer does not wait for the next partner request.
    /// </summary>
    public async Task<FallbackState?> CheckAsync(CancellationToken cancellationToken)
    {
        // Right after start the connection may still be on its way: that is not an outage.
        await _redis.WaitForFirstConnectAsync(cancellationToken);
        if (!_redis.TryGetConnected(out var redis))
        {
            EnterFallback("the connection to Redis is down");
        }
        else if (Volatile.Read(ref _fallback) is not null)
        {
            try
            {
                await redis.PingAsync().WaitAsync(_options.CurrentValue.RedisTimeout, cancellationToken);
                LeaveFallback();
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // Still away: the fallback keeps its first reason and start.
            }
        }

        return Volatile.Read(ref _fallback);
    }

    public async ValueTask<ThrottleDecision> TakeOneAsync(string clientId, ThrottlingTierOptions tier)
    {
        var options = _options.CurrentValue;
        if (_redis.TryGetConnected(out var redis))
        {
            try
            {
                var decision = await RedisTokenBuckets.TakeOneAsync(redis, clientId, tier).WaitAsync(options.RedisTimeout);
                LeaveFallback();
                return decision;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                EnterFallback(exception.Message);
            }
        }
        else
        {
            EnterFallback("the connection to Redis is down");
        }

        return _local.TakeOne(clientId, LocalTokenBuckets.ShareOf(tier, options.ReplicasSharingLimit));
    }

    public void Dispose() => _local.Dispose();

    private void EnterFallback(string reason)
    {
        // During an outage every request comes here: only the first one takes the lock.
        if (Volatile.Read(ref _fallback) is not null)
        {
            return;
        }

        lock (_modeLock)
        {
            if (_fallback is not null)
            {
                return;
            }

            _fallback = new FallbackState(reason, _clock.GetUtcNow());
        }

        LogFallback(reason, _options.CurrentValue.ReplicasSharingLimit);
    }

    private void LeaveFallback()
    {
        // Read without the lock first: this runs on every request, and the answer is almost always "not in fallback".
        if (Volatile.Read(ref _fallback) is null)
        {
            return;
        }

        FallbackState? left;
        lock (_modeLock)
        {
            left = _fallback;
            _fallback = null;
        }

        if (left is not null)
        {
            LogBackOnRedis(_clock.GetUtcNow() - left.Since);
        }
    }

    [LoggerMessage(EventId = LogEventIds.ClientThrottleFallback, Level = LogLevel.Warning,
        Message = "Throttling falls back to local token buckets (1/{Replicas} of each limit per replica): Redis is unreachable ({Reason})")]
    private partial void LogFallback(string reason, int replicas);

    [LoggerMessage(EventId = LogEventIds.ClientThrottleBackOnRedis, Level = LogLevel.Information,
        Message = "Throttling is back on the shared Redis buckets after {Outage} on local ones")]
    private partial void LogBackOnRedis(TimeSpan outage);
}

internal sealed record FallbackState(string Reason, DateTimeOffset Since);
