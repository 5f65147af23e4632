using System.Globalization;
using LogisticsSync.ApiGateway.Redis;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Yarp.ReverseProxy.Model;

namespace LogisticsSync.ApiGateway.Webhooks;

/// <summary>
/// Carrier webhooks (routes with metadata <c>Webhook: standard-webhooks</c>) are forwarded only when
/// signed by the carrier named in the path and sent within the tolerance; anything else is a 401.
/// A <c>webhook-id</c> already delivered inside the window is acknowledged without a second forward.
/// </summary>
internal static partial class CarrierWebhookVerification
{
    public const string IdHeader = ProtocolHeaders.WebhookId;
    public const string TimestampHeader = ProtocolHeaders.WebhookTimestamp;
    public const string SignatureHeader = ProtocolHeaders.WebhookSignature;
    private const string MetadataKey = "Webhook";
    private const string StandardWebhooks = "standard-webhooks";
    private const string Delivering = "delivering";
    private const string Delivered = "delivered";

    public static IReverseProxyApplicationBuilder UseCarrierWebhookVerification(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            var route = context.GetReverseProxyFeature().Route.Config;
            if (route.Metadata?.GetValueOrDefault(MetadataKey) != StandardWebhooks)
            {
                await next();
                return;
            }

            var options = context.RequestServices.GetRequiredService<IOptionsMonitor<WebhookOptions>>().CurrentValue;
            var carrierId = context.Request.RouteValues["carrierId"]?.ToString() ?? "";
            if (await VerifyAsync(context, carrierId, options) is { } refusal)
            {
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Webhook not verified", detail: refusal).ExecuteAsync(context);
                return;
            }

            await ForwardOnceAsync(context, next, carrierId, context.Request.Headers[IdHeader].ToString(), options.Tolerance);
        });
        return proxy;
    }

    /// <returns>Why the webhook is refused, or null when it is genuine and fresh.</returns>
    private static async Task<string?> VerifyAsync(HttpContext context, string carrierId, WebhookOptions options)
    {
        if (!options.Carriers.TryGetValue(carrierId, out var carrier) || carrier.Secret.Length == 0)
        {
            return $"No signing secret is configured for carrier '{carrierId}'.";
        }

        var headers = context.Request.Headers;
        var webhookId = headers[IdHeader].ToString();
        var signature = headers[SignatureHeader].ToString();
        if (webhookId.Length == 0 || signature.Length == 0 || headers[TimestampHeader].Count == 0)
        {
            return $"Signed webhooks carry the {IdHeader}, {TimestampHeader} and {SignatureHeader} headers (Standard Webhooks).";
        }

        if (!long.TryParse(headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return $"{TimestampHeader} is Unix time in seconds.";
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        // Both ways: an old timestamp is a replay outside the dedupe window, a future one would outlive it.
        if (Math.Abs(now - timestamp) > (long)options.Tolerance.TotalSeconds)
        {
            return $"{TimestampHeader} {timestamp} is more than {options.Tolerance.TotalSeconds:0} s from the gateway's clock ({now}).";
        }

        // Buffered so the very bytes that were verified are the ones forwarded; the body size limit
        // applied at the edge bounds the buffer.
        context.Request.EnableBuffering();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Request.Body.Position = 0;

        return StandardWebhookSignature.Verify(StandardWebhookSignature.KeyOf(carrier.Secret), webhookId, timestamp, body.GetBuffer().AsSpan(0, (int)body.Length), signature)
            ? null
            : $"{SignatureHeader} does not match: sign \"{{{IdHeader}}}.{{{TimestampHeader}}}.{{body}}\" with carrier '{carrierId}''s secret.";
    }

    /// <summary>
    /// Marks the id "delivering" (SET NX) before forwarding and "delivered" after a 2xx; a failed
    /// forward clears the mark so the carrier's retry goes through. Without Redis the webhook is
    /// forwarded anyway: the orchestrator's inbox is unique per carrier and webhook id, the durable backstop.
    /// </summary>
    private static async Task ForwardOnceAsync(HttpContext context, Func<Task> next, string carrierId, string webhookId, TimeSpan tolerance)
    {
        var redis = context.RequestServices.GetRequiredService<NonBlockingRedis>();
        RedisKey key = $"gateway:webhook:{carrierId}:{webhookId}";
        // The id must be remembered for as long as its timestamp is acceptable: up to a tolerance either side of now.
        var window = tolerance * 2;
        if (!redis.TryGetConnected(out var database))
        {
            await ForwardUncheckedAsync(context, next, carrierId, webhookId, "the connection to Redis is down");
            return;
        }

        try
        {
            if (!await database.StringSetAsync(key, Delivering, window, When.NotExists))
            {
                await AnswerRepeatAsync(context, webhookId, await database.StringGetAsync(key) == Delivered);
                return;
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            await ForwardUncheckedAsync(context, next, carrierId, webhookId, exception.Message);
            return;
        }

        await next();
        await RecordOutcomeAsync(redis, key, window, IsSuccess(context.Response.StatusCode));
    }

    private static Task ForwardUncheckedAsync(HttpContext context, Func<Task> next, string carrierId, string webhookId, string reason)
    {
        LogDedupeUnavailable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CarrierWebhookVerification)),
            carrierId, webhookId, reason);
        return next();
    }

    private static async Task RecordOutcomeAsync(NonBlockingRedis redis, RedisKey key, TimeSpan window, bool delivered)
    {
        if (!redis.TryGetConnected(out var database))
        {
            return;
        }

        try
        {
            _ = delivered
                ? await database.StringSetAsync(key, Delivered, window, When.Exists)
                : await database.KeyDeleteAsync(key);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The mark expires with the window; the orchestrator's inbox still dedupes a retry.
        }
    }

    private static Task AnswerRepeatAsync(HttpContext context, string webhookId, bool delivered)
    {
        if (delivered)
        {
            // Standard Webhooks senders stop retrying on any 2xx: acknowledge, do not forward again.
            return Results.Json(new { webhookId, status = "duplicate" }, statusCode: StatusCodes.Status200OK).ExecuteAsync(context);
        }

        context.Response.Headers.RetryAfter = "1";
        return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Webhook delivery in progress",
            detail: $"Webhook '{webhookId}' is being delivered by another request; retry to learn its outcome.").ExecuteAsync(context);
    }

    private static bool IsSuccess(int statusCode) => statusCode is >= 200 and < 300;

    [LoggerMessage(EventId = LogEventIds.CarrierWebhookVerificationDedupeUnavailable, Level = LogLevel.Warning,
        Message = "Webhook {CarrierId}/{WebhookId} forwarded without the Redis replay check ({Reason}); the orchestrator inbox dedupes it")]
    private static partial void LogDedupeUnavailable(ILogger logger, string carrierId, string webhookId, string reason);
}
