using LogisticsSync.ApiGateway.Authentication;
using LogisticsSync.ApiGateway.Edge;
using LogisticsSync.ApiGateway.ServiceDiscovery;
using LogisticsSync.ApiGateway.Versioning;

namespace LogisticsSync.ApiGateway.Extensions;

internal static class GatewayExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.SectionName));
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        return builder;
    }

    /// <summary>The edge, in order: correlation and audit around everything, then hygiene and versions, then keys and the proxy.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseCorrelationAndAudit();
        app.UseRequestHygiene();
        app.UseApiVersionGate();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseApiKeyAuthorization();
            proxy.UseForwarderProblems();
        });
        return app;
    }
}
