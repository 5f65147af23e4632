using StackExchange.Redis;

namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>
/// One token bucket per client in Redis, shared by every gateway replica. Refill, take and expiry
/// happen in one Lua script: one round trip per request, atomic across replicas, and timed by the
/// Redis server's clock (<c>TIME</c>) so replicas with drifting clocks still agree.
/// </summary>
internal static class RedisTokenBuckets
{
    // Tokens are fractional (refill is continuous); times are server milliseconds. The key expires
    // once the bucket would be full again: a missing key and a full bucket are the same thing, so
    // idle clients cost no memory. Returns {allowed, whole tokens left, ms to next token, ms to full}.
    private const string TakeOneScript = """
        local capacity = tonumber(ARGV[1])
        local per_ms = tonumber(ARGV[2])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(bucket[1]) or capacity
        local at = tonumber(bucket[2]) or now
        tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
        local allowed = 0
        if tokens >= 1 then
            tokens = tokens - 1
            allowed = 1
        end
        local to_full = math.ceil((capacity - tokens) / per_ms)
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
        redis.call('PEXPIRE', KEYS[1], to_full + 1000)
        local to_next = 0
        if allowed == 0 then
            to_next = math.ceil((1 - tokens) / per_ms)
        end
        return { allowed, math.floor(tokens), to_next, to_full }
        """;

    public static RedisKey KeyFor(string clientId) => $"gateway:throttle:{clientId}";

    /// <remarks>StackExchange.Redis sends the script by its SHA (EVALSHA) once the server has it, and re-sends it after a flush or restart.</remarks>
    public static async Task<ThrottleDecision> TakeOneAsync(IDatabaseAsync redis, string clientId, ThrottlingTierOptions tier)
    {
        var result = (RedisResult[])(await redis.ScriptEvaluateAsync(
            TakeOneScript,
            [KeyFor(clientId)],
            [tier.TokenLimit, tier.TokensPerSecond / 1000d]))!;
        return new ThrottleDecision(
            Allowed: (long)result[0] == 1,
            Remaining: (long)result[1],
            RetryAfter: TimeSpan.FromMilliseconds((long)result[2]),
            ResetAfter: TimeSpan.FromMilliseconds((long)result[3]),
            ThrottleEnforcement.Shared);
    }
}
