using LogisticsSync.AppHost.Dashboard.Api;
using LogisticsSync.AppHost.Dashboard.Login;
using LogisticsSync.AppHost.Dashboard.Otlp;
using LogisticsSync.AppHost.Dashboard.Pages;
using LogisticsSync.AppHost.Hosting;
using LogisticsSync.AppHost.Hosting.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LogisticsSync.AppHost.Dashboard;

internal static class DashboardEndpoints
{
    /// <summary>
    /// The dashboard on the AppHost's loopback port: the OTLP receiver (authenticated by the services'
    /// key), login, the pages, and the telemetry API inside the control API's authenticated group.
    /// </summary>
    public static WebApplication MapDashboard(this WebApplication app, RouteGroupBuilder authenticatedApi, DistributedApplication estate,
        TelemetryIntake intake, DashboardAccess access)
    {
        app.MapOtlpReceiver(estate.Telemetry, intake, estate.OtlpApiKey);
        authenticatedApi.MapTelemetryApi(estate.Telemetry, intake);
        app.MapDashboardLogin(access);
        app.MapDashboardPages(estate, access);
        return app;
    }
}
