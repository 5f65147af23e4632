using LogisticsSync.Dashboard.Api;
using LogisticsSync.Dashboard.Login;
using LogisticsSync.Dashboard.Operations;
using LogisticsSync.Dashboard.Otlp;
using LogisticsSync.Dashboard.Pages;
using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Control;

namespace LogisticsSync.Dashboard;

/// <summary>
/// The dashboard on the AppHost's loopback port: the OTLP receiver (authenticated by the services' key), login,
/// the pages, and the telemetry and operations APIs inside the control API's authenticated group. It holds what the
/// services exported, decoded and bounded by <see cref="TelemetryLimits"/>; the operations page reads the orchestrator
/// through the gateway (<see cref="OperationsSource"/>).
/// </summary>
public sealed class EstateDashboard(OperationsSource? operations = null) : IControlApiExtension
{
    private readonly TelemetryIntake _intake = new();
    private TelemetryStore? _telemetry;

    /// <summary>What the services exported over OTLP, decoded and bounded: what the dashboard shows.</summary>
    public TelemetryStore Telemetry => _telemetry ?? throw new InvalidOperationException("The dashboard is configured when the model is built.");

    /// <summary>OTLP batches received from the services, per signal.</summary>
    public IReadOnlyDictionary<string, TelemetryCount> TelemetryReceived => _intake.Snapshot();

    public void Configure(EstateOptions options) => _telemetry = new TelemetryStore(TelemetryLimits.FromOptions(options));

    public void Map(ControlApiRoutes routes)
    {
        routes.App.MapOtlpReceiver(Telemetry, _intake, routes.Estate.OtlpApiKey);
        routes.AuthenticatedApi.MapTelemetryApi(Telemetry, _intake);
        routes.AuthenticatedApi.MapOperationsApi(new OperationsClient(routes.Estate, operations));
        routes.App.MapDashboardLogin(routes.Access);
        routes.App.MapDashboardPages(routes.Estate, Telemetry, routes.Access);
    }
}
