using LogisticsSync.Hosting;

namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>
/// How much telemetry the dashboard holds in memory. Past a limit the oldest item goes first and is
/// counted as dropped, so memory stays flat however long the estate runs.
/// </summary>
public sealed record TelemetryLimits
{
    public int MaxLogEntries { get; init; } = 20_000;

    public int MaxSpans { get; init; } = 50_000;

    /// <summary>
    /// Logs and spans are bounded by their size too: a service that logs a partner's 250 KB field would otherwise
    /// fill the AppHost's memory long before the count is reached. Sizes are estimated (two bytes a character).
    /// </summary>
    public long MaxLogBytes { get; init; } = 64L << 20;

    public long MaxSpanBytes { get; init; } = 64L << 20;

    /// <summary>Per metric series: at the services' 1 s export interval, 600 points are the last 10 minutes.</summary>
    public int MaxPointsPerSeries { get; init; } = 600;

    /// <summary>All instruments of all resources together; a series beyond it is not kept (and counted).</summary>
    public int MaxMetricSeries { get; init; } = 2_000;

    /// <summary>Reads <c>--dashboard-max-logs</c>, <c>--dashboard-max-spans</c>, <c>--dashboard-max-points</c>, <c>--dashboard-max-series</c>.</summary>
    internal static TelemetryLimits FromOptions(EstateOptions options)
    {
        var defaults = new TelemetryLimits();
        return new TelemetryLimits
        {
            MaxLogEntries = Positive(options, "dashboard-max-logs", defaults.MaxLogEntries),
            MaxSpans = Positive(options, "dashboard-max-spans", defaults.MaxSpans),
            MaxPointsPerSeries = Positive(options, "dashboard-max-points", defaults.MaxPointsPerSeries),
            MaxMetricSeries = Positive(options, "dashboard-max-series", defaults.MaxMetricSeries),
        };
    }

    private static int Positive(EstateOptions options, string name, int defaultValue) =>
        options.GetParameter(name, defaultValue) is var value and > 0
            ? value
            : throw new EstateUsageException($"--{name} must be a positive number.");
}
