using System.Globalization;
using LogisticsSync.ApiGateway.Authentication;
using LogisticsSync.ApiGateway.Versioning;
using Microsoft.Extensions.Options;

namespace LogisticsSync.ApiGateway.Throttling;

/// <summary>
/// One token per request from the caller's bucket, after the key is known. Every answer carries
/// the IETF RateLimit-Policy and RateLimit headers (draft-ietf-httpapi-ratelimit-headers-10); an
/// empty bucket answers 429 with <c>Retry-After</c> and problem details, and nothing is proxied.
/// </summary>
internal static class ThrottlingMiddleware
{
    // The policy a client sees while its replica enforces its local share says so: q and w differ.
    private const string LocalPolicySuffix = "-local";

    public static IReverseProxyApplicationBuilder UseClientThrottling(this IReverseProxyApplicationBuilder proxy)
    {
        var services = proxy.ApplicationServices;
        var throttlingOptions = services.GetRequiredService<IOptionsMonitor<ThrottlingOptions>>();
        var gatewayOptions = services.GetRequiredService<IOptionsMonitor<GatewayOptions>>();
        var throttle = services.GetRequiredService<ClientThrottle>();
        proxy.Use(async (context, next) =>
        {
            if (ApiKeyAuthorization.CallerOf(context) is not { } caller)
            {
                // Refused before a key was known: there is no client to count against.
                await next();
                return;
            }

            var throttling = throttlingOptions.CurrentValue;
            var clients = gatewayOptions.CurrentValue.Clients;
            var tierName = clients.GetValueOrDefault(caller.ClientId)?.Tier ?? throttling.DefaultTier;
            var tier = throttling.Tiers[tierName];

            var decision = await throttle.TakeOneAsync(caller.ClientId, tier);
            var (policyName, policy) = decision.Enforcement == ThrottleEnforcement.Shared
                ? (tierName, tier)
                : (tierName + LocalPolicySuffix, LocalTokenBuckets.ShareOf(tier, throttling.ReplicasSharingLimit));

            var headers = context.Response.Headers;
            headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{policyName}\";q={policy.TokenLimit};w={policy.WindowSeconds}");
            // t: when a token is back for a refused request, when the bucket is full again otherwise.
            var reset = decision.Allowed ? decision.ResetAfter : decision.RetryAfter;
            headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{policyName}\";r={decision.Remaining};t={WholeSeconds(reset)}");

            if (!decision.Allowed)
            {
                var retryAfter = Math.Max(1, WholeSeconds(decision.RetryAfter));
                headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"Client '{caller.ClientId}' has used its burst of {policy.TokenLimit} requests " +
                            $"(tier '{policyName}', {policy.TokensPerPeriod} more every {policy.ReplenishmentPeriod.TotalSeconds:0.###} s). Retry after {retryAfter} s.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["tier"] = policyName,
                        ["retryAfterSeconds"] = retryAfter,
                        ["enforcement"] = decision.Enforcement == ThrottleEnforcement.Shared ? "shared" : "local-fallback",
                    }).ExecuteAsync(context);
                return;
            }

            await next();
        });
        return proxy;
    }

    private static long WholeSeconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);
}
