using LogisticsSync.ServiceDefaults.Webhooks;
namespace LogisticsSync.ApiGateway.Webhooks;

internal static class WebhookExtensions
{
    public static WebApplicationBuilder AddCarrierWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .Bind(builder.Configuration.GetSection(WebhookOptions.SectionName))
            .Validate(options => options.Tolerance > TimeSpan.Zero, "Gateway:Webhooks:Tolerance must be positive.")
            .Validate(options => options.Carriers.Values.All(carrier => IsWellFormed(carrier.Secret)),
                "Every Gateway:Webhooks:Carriers:{id}:Secret is 'whsec_' followed by base64.")
            .ValidateOnStart();
        return builder;
    }

    private static bool IsWellFormed(string secret)
    {
        try
        {
            return StandardWebhookSignature.KeyOf(secret).Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
