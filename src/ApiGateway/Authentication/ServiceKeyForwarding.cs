using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.ServiceKeys;
using Yarp.ReverseProxy.Transforms;

namespace LogisticsSync.ApiGateway.Authentication;

/// <summary>
/// The estate's key on every proxied request, set as the last step before forwarding on every route, so whatever a
/// partner sent under that name is replaced, never passed on as theirs (as <c>X-Client-Id</c> is). YARP forwards with its
/// own client, not through <c>IHttpClientFactory</c>, so the service defaults' handler does not reach these requests.
/// </summary>
internal static class ServiceKeyForwarding
{
    public static IReverseProxyBuilder AddServiceKeyForwarding(this IReverseProxyBuilder proxy) => proxy.AddTransforms(context =>
    {
        var key = context.Services.GetRequiredService<ServiceKey>().Value;
        if (key is null)
        {
            // Without a key of its own the gateway still strips a partner's.
            context.AddRequestHeaderRemove(ProtocolHeaders.ServiceKey);
        }
        else
        {
            context.AddRequestHeader(ProtocolHeaders.ServiceKey, key, append: false);
        }
    });
}
