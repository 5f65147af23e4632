using LogisticsSync.ApiGateway.Authentication;
using LogisticsSync.ApiGateway.Edge;
using LogisticsSync.ApiGateway.OpenApi;
using LogisticsSync.ApiGateway.Redis;
using LogisticsSync.ApiGateway.ServiceDiscovery;
using LogisticsSync.ApiGateway.Throttling;
using LogisticsSync.ApiGateway.Versioning;
using LogisticsSync.ApiGateway.Webhooks;

namespace LogisticsSync.ApiGateway.Extensions;

internal static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.SectionName));
        builder.AddAuditLogging();
        builder.Services.AddSingleton<NonBlockingRedis>();
        builder.Services.AddSingleton<ApiKeyDirectory>();
        builder.AddClientThrottling();
        builder.AddCarrierWebhooks();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddServiceKeyForwarding();
        return builder;
    }

    /// <summary>
    /// The edge, in order: correlation and audit around everything, then hygiene and versions, then
    /// keys, the caller's rate limit (one Redis round trip), webhook signatures, and the proxy.
    /// </summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseCorrelationAndAudit();
        app.UseRequestHygiene();
        app.UseApiVersionGate();
        app.MapPartnerOpenApi();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseApiKeyAuthorization();
            proxy.UseClientThrottling();
            proxy.UseCarrierWebhookVerification();
            proxy.UseForwarderProblems();
            // A custom pipeline replaces YARP's default one: without this step every request saw both replicas
            // and YARP picked one at random with a warning on the console each time.
            proxy.UseLoadBalancing();
        });
        return app;
    }
}
