namespace LogisticsSync.ServiceDefaults.Protocol;

/// <summary>The HTTP headers the estate's services and partners speak to each other.</summary>
public static class ProtocolHeaders
{
    /// <summary>Commands and tenders are idempotent by this key (the same key and body replay the first answer).</summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>Marks a response replayed for a repeated idempotency key (<c>true</c>).</summary>
    public const string IdempotentReplayed = "Idempotent-Replayed";

    /// <summary>Carried through every hop, log and event of one shipment's journey.</summary>
    public const string CorrelationId = "X-Correlation-ID";

    /// <summary>A gateway client's API key.</summary>
    public const string ApiKey = "X-Api-Key";

    /// <summary>
    /// The estate's internal credential, one per estate, sent by every service on every call it makes and required by
    /// the orchestrator's API and the simulators' system APIs (docs/security.md, "Service key"). The gateway sets it on
    /// what it proxies, overwriting whatever a partner sent.
    /// </summary>
    public const string ServiceKey = "X-Service-Key";

    /// <summary>A simulator's admin API key (never sent to the gateway).</summary>
    public const string AdminKey = "X-Admin-Key";

    // Standard Webhooks (https://www.standardwebhooks.com): id, Unix timestamp and signature of a carrier's webhook.
    public const string WebhookId = "webhook-id";
    public const string WebhookTimestamp = "webhook-timestamp";
    public const string WebhookSignature = "webhook-signature";
}
