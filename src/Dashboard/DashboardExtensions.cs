using LogisticsSync.Dashboard.Operations;
using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting;

namespace LogisticsSync.Dashboard;

public static class DashboardExtensions
{
    /// <summary>Serves the dashboard from the AppHost itself, as Aspire's AppHost starts its dashboard.</summary>
    /// <param name="operations">Where the operations page reads the business state; without it the page says so.</param>
    public static DistributedApplicationBuilder AddDashboard(this DistributedApplicationBuilder builder, OperationsSource? operations = null) =>
        builder.AddControlApiExtension(new EstateDashboard(operations));

    extension(DistributedApplication estate)
    {
        /// <summary>The estate's dashboard; the model must have called <see cref="AddDashboard"/>.</summary>
        public EstateDashboard Dashboard => estate.GetExtension<EstateDashboard>()
            ?? throw new InvalidOperationException("The model has no dashboard: call builder.AddDashboard().");

        /// <summary>What the services exported over OTLP, decoded and bounded: what the dashboard shows.</summary>
        public TelemetryStore Telemetry => estate.Dashboard.Telemetry;

        /// <summary>OTLP batches received from the services, per signal.</summary>
        public IReadOnlyDictionary<string, TelemetryCount> TelemetryReceived => estate.Dashboard.TelemetryReceived;
    }
}
