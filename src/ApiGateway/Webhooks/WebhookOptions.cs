namespace LogisticsSync.ApiGateway.Webhooks;

/// <summary>Carrier webhook signing, bound from <c>Gateway:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Gateway:Webhooks";

    /// <summary>How far <c>webhook-timestamp</c> may be from the gateway's clock, either way.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Signing secrets per carrier id, as the route's <c>{carrierId}</c> names it.</summary>
    public Dictionary<string, CarrierWebhookOptions> Carriers { get; set; } = new(StringComparer.Ordinal);
}
