using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting;

namespace LogisticsSync.Dashboard.Tests.Telemetry;

public sealed class TelemetryLimitsTests
{
    [Fact]
    public void FromOptions_CommandLine_OverridesDefaults()
    {
        var options = EstateOptions.Parse(["--dashboard-max-logs", "500", "--dashboard-max-points", "60"]);

        var limits = TelemetryLimits.FromOptions(options);

        Assert.Equal(new TelemetryLimits { MaxLogEntries = 500, MaxPointsPerSeries = 60 }, limits);
        options.ThrowOnUnknownParameters();
    }

    [Fact]
    public void FromOptions_ZeroLimit_UsageError()
    {
        var options = EstateOptions.Parse(["--dashboard-max-spans", "0"]);

        var error = Assert.Throws<EstateUsageException>(() => TelemetryLimits.FromOptions(options));
        Assert.Contains("--dashboard-max-spans", error.Message, StringComparison.Ordinal);
    }
}
