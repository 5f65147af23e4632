using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace LogisticsSync.ServiceDefaults.Logging;

public static class QuietConsoleDefaults
{
    /// <summary>
    /// The console shows the estate's own events (categories under <c>LogisticsSync</c>) at Information and the
    /// frameworks' (requests, health probes, HTTP calls) from Warning; the dashboard's OTLP logs keep
    /// everything. Inserted as the first configuration source, so appsettings and the environment override it:
    /// the AppHost's <c>--verbose</c> sets <c>Logging__Console__LogLevel__Default=Information</c>.
    /// </summary>
    public static TBuilder AddQuietConsoleDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:Console:LogLevel:Default"] = "Warning",
                ["Logging:Console:LogLevel:LogisticsSync"] = "Information",
                // "Now listening on …", "Application started": where a service is, and that it came up.
                ["Logging:Console:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            },
        });
        return builder;
    }
}
