using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LogisticsSync.Hosting.Control;

/// <summary>
/// A part of the AppHost's loopback web surface that lives outside the engine, as the dashboard does: it
/// reads its options while the model is validated and maps its endpoints beside the control API's.
/// </summary>
public interface IControlApiExtension
{
    /// <summary>Reads the extension's own <c>--options</c>; a bad value throws <see cref="EstateUsageException"/>.</summary>
    void Configure(EstateOptions options);

    void Map(ControlApiRoutes routes);
}

/// <param name="App">The loopback web application: anonymous endpoints (login, OTLP with its own key).</param>
/// <param name="AuthenticatedApi">The <c>/api</c> group that requires the control token or a dashboard session.</param>
public sealed record ControlApiRoutes(WebApplication App, RouteGroupBuilder AuthenticatedApi, DistributedApplication Estate, ControlAccess Access);
