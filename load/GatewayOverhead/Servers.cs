using System.Text;
using Yarp.ReverseProxy.Configuration;

namespace LogisticsSync.Load.GatewayOverhead;

/// <summary>
/// The two servers the comparison needs besides the gateway. The estate engine runs each as its own
/// process (this program again, with a role in <c>GatewayOverhead__Role</c>), so each side of the
/// comparison pays for its own process as the gateway does, and nothing outlives the run.
/// </summary>
internal static class Servers
{
    public const string RoleVariable = "GatewayOverhead__Role";
    public const string UpstreamRole = "upstream";
    public const string BareProxyRole = "bare-proxy";

    /// <summary>
    /// The upstream: a shipment read answered from memory by a bare Kestrel endpoint. It is fast on
    /// purpose, so that what the three paths differ by is the proxy's own cost, not the database's.
    /// </summary>
    public static Task RunUpstreamAsync()
    {
        var app = CreateSilentBuilder().Build();
        app.MapGet("/health", () => "Healthy");
        var body = Encoding.UTF8.GetBytes("""
            {"id":"0193a5c0-7d1e-7c2b-9a51-3f0e8d6c2b11","sourceSystem":"erp","businessKey":"SO-BENCH-000001","state":"Packed",
             "stateOwner":"Wms","version":4,"correlationId":"bench","createdAt":"2026-11-23T10:00:00+00:00","updatedAt":"2026-11-23T10:05:00+00:00"}
            """);
        app.MapGet("/api/{version}/shipments/{id}", async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });
        return app.RunAsync();
    }

    /// <summary>A bare YARP proxy: one route, one destination, no policies, no logging, no telemetry.</summary>
    public static Task RunBareProxyAsync(string upstream)
    {
        var builder = CreateSilentBuilder();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**catch-all}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["upstream"] = new() { Address = upstream } } }]);
        var app = builder.Build();
        app.MapGet("/health", () => "Healthy");
        app.MapReverseProxy();
        return app.RunAsync();
    }

    /// <summary>Listens where the engine says (<c>ASPNETCORE_URLS</c>) and logs nothing: a log line per request is a policy the gateway pays for.</summary>
    private static WebApplicationBuilder CreateSilentBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        return builder;
    }
}
