namespace LogisticsSync.ApiGateway.Webhooks;

public sealed class CarrierWebhookOptions
{
    /// <summary><c>whsec_</c> followed by the base64 of the HMAC key (Standard Webhooks).</summary>
    public string Secret { get; set; } = "";
}
