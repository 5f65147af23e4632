using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Protocol;
using Yarp.ReverseProxy.Model;

namespace LogisticsSync.ApiGateway.Authentication;

/// <summary>Who called and with which scope: set once the key is checked, read by the audit log.</summary>
internal sealed record CallerIdentity(string ClientId, string Scope);

/// <summary>
/// API keys per partner, stored as SHA-256 hashes, each with scopes. A route declares in its
/// metadata the scope a read (<c>ReadScope</c>) and a write (<c>WriteScope</c>) needs; <c>*</c> means
/// any known client, and <c>{name}</c> is the route value of that name, so
/// <c>webhooks:carrier-{carrierId}</c> lets a carrier's key reach its own webhooks only. Missing or unknown key → 401, missing scope → 403; nothing is proxied either way.
/// </summary>
internal static class ApiKeyAuthorization
{
    public const string HeaderName = ProtocolHeaders.ApiKey;
    public const string AnyClient = "*";

    public static CallerIdentity? CallerOf(HttpContext context) => context.Features.Get<CallerIdentity>();

    public static IReverseProxyApplicationBuilder UseApiKeyAuthorization(this IReverseProxyApplicationBuilder proxy)
    {
        var directory = proxy.ApplicationServices.GetRequiredService<ApiKeyDirectory>();
        proxy.Use(async (context, next) =>
        {
            var route = context.GetReverseProxyFeature().Route.Config;
            var isRead = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            var required = ExpandRouteValues(route.Metadata?.GetValueOrDefault(isRead ? "ReadScope" : "WriteScope"), context.Request.RouteValues);

            var presented = context.Request.Headers[HeaderName].ToString();
            if (presented.Length == 0 || directory.Find(presented) is not var (clientId, client))
            {
                context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
                await Results.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: presented.Length == 0 ? "API key required" : "Unknown API key",
                    detail: $"Send your partner key in the {HeaderName} header.").ExecuteAsync(context);
                return;
            }

            if (required is null || (required != AnyClient && !client.Scopes.Contains(required)))
            {
                context.Features.Set(new CallerIdentity(clientId, required ?? "(none)"));
                await Results.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Scope missing",
                    detail: required is null
                        ? $"Route '{route.RouteId}' declares no scope for this method: nobody may call it."
                        : $"Client '{clientId}' lacks the '{required}' scope this request needs.").ExecuteAsync(context);
                return;
            }

            context.Features.Set(new CallerIdentity(clientId, required));
            // A partner's secret stops at the edge: internal services see who it was, never the key.
            context.Request.Headers.Remove(HeaderName);
            context.Request.Headers[ForwardedClient.HeaderName] = clientId;
            await next();
        });
        return proxy;
    }

    private static string? ExpandRouteValues(string? scope, RouteValueDictionary routeValues)
    {
        if (scope is null || !scope.Contains('{', StringComparison.Ordinal))
        {
            return scope;
        }

        foreach (var (name, value) in routeValues)
        {
            scope = scope.Replace("{" + name + "}", value?.ToString(), StringComparison.Ordinal);
        }

        return scope;
    }
}
