using Yarp.ReverseProxy.ServiceDiscovery;

namespace LogisticsSync.ApiGateway.ServiceDiscovery;

internal static class ReverseProxyBuilderExtensions
{
    /// <summary>Resolves cluster destinations through Microsoft.Extensions.ServiceDiscovery.</summary>
    public static IReverseProxyBuilder AddServiceDiscoveryDestinationResolver(this IReverseProxyBuilder builder)
    {
        builder.Services.AddServiceDiscoveryCore();
        // Replaces YARP's pass-through resolver: the last registration wins.
        builder.Services.AddSingleton<IDestinationResolver, ServiceDiscoveryDestinationResolver>();
        return builder;
    }
}
