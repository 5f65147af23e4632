using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Roles;
using LogisticsSync.Simulators.Telemetry;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Simulators.Faults;

/// <summary>What a system API call is about (say, an order), so its fault decisions are drawn per order and attempt.</summary>
internal interface IFaultSubject
{
    string? FaultSubject { get; }
}

/// <summary>
/// The fault profile applied to a simulated system's own API, as an endpoint filter, in the order a caller
/// meets them: down (outage, maintenance: 503), over its rate limit (429), slow (latency), then failing (500).
/// A failed call records nothing, so the caller's retry is the only way the work gets done. The error share is a 500
/// (ERP, carrier booking API), or a 503 for the TMS, whose contract (docs/flows.md) names no other failure.
/// </summary>
internal sealed class SystemApiFaults(FaultInjector faults, IOptions<SimulatorOptions> options, SimulatorMetrics metrics) : IDisposable
{
    private const int RetryAfterSeconds = 1;

    // How often each (route, caller key) has been seen: the error decision for a retry must be a new draw,
    // or an order unlucky on its first call would fail forever.
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private (int PerSecond, TokenBucketRateLimiter Limiter)? _rateLimit;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var profile = faults.Current;
        if (profile.Outage || profile.Maintenance)
        {
            metrics.FaultInjected(profile.Maintenance ? "maintenance" : "outage");
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: profile.Maintenance ? "In a maintenance window" : "The system is down",
                detail: "Nothing was recorded; retry later with the same request.");
        }

        if (Limiter(profile.RateLimitPerSecond) is { } limiter)
        {
            using var lease = limiter.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                metrics.FaultInjected("rate-limit");
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"At most {profile.RateLimitPerSecond} calls per second; nothing was recorded.");
            }
        }

        var about = context.Arguments.OfType<IFaultSubject>().FirstOrDefault()?.FaultSubject ?? http.Request.Headers[ProtocolHeaders.IdempotencyKey].ToString();
        var subject = $"{http.Request.Method} {http.Request.Path}#{about}";
        var call = _calls.AddOrUpdate(subject, 1, (_, seen) => seen + 1);
        await faults.DelayAsync($"{subject}/{call}", http.RequestAborted);
        if (faults.Happens(profile.ErrorRate, "system-api.error", $"{subject}/{call}"))
        {
            metrics.FaultInjected("error");
            return options.Value.Role == ResourceNames.Tms
                ? Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable (simulated)", detail: "Nothing was recorded.")
                : Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Internal error (simulated)", detail: "Nothing was recorded.");
        }

        return await next(context);
    }

    /// <summary>The token bucket for the current limit; a new one when the limit changes at run time.</summary>
    private TokenBucketRateLimiter? Limiter(int perSecond)
    {
        if (perSecond <= 0)
        {
            return null;
        }

        lock (_gate)
        {
            if (_rateLimit is not { } current || current.PerSecond != perSecond)
            {
                _rateLimit?.Limiter.Dispose();
                _rateLimit = (perSecond, new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            }

            return _rateLimit.Value.Limiter;
        }
    }

    public void Dispose() => _rateLimit?.Limiter.Dispose();
}
