namespace LogisticsSync.ApiGateway;

/// <summary>
/// Every <c>[LoggerMessage]</c> event id of the gateway, in one place: a block per feature, so a log query by id
/// finds one kind of event. A new log message takes the next free id of its feature here; <c>LogEventIdsTests</c> fails on a repeat.
/// </summary>
internal static class LogEventIds
{
    // ServiceDiscovery
    public const int ServiceDiscoveryDestinationResolverResolved = 1;

    // Edge
    public const int EdgeMiddlewareAudit = 9001;

    // Throttling
    public const int ClientThrottleFallback = 9101;
    public const int ClientThrottleBackOnRedis = 9102;

    // Webhooks
    public const int CarrierWebhookVerificationDedupeUnavailable = 9201;
}
