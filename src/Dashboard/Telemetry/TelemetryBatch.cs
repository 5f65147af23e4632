namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>One metric data point as decoded, before the store files it under its instrument and series.</summary>
internal sealed record MetricSample(
    string ResourceId,
    string ServiceName,
    string Scope,
    string Name,
    string Description,
    string Unit,
    string Kind,
    IReadOnlyList<TelemetryAttribute> Attributes,
    DateTimeOffset Timestamp,
    double Value,
    HistogramTotals? Histogram = null);

/// <summary>A histogram point's count and sum, and whether they are totals since start (cumulative) or per interval.</summary>
internal readonly record struct HistogramTotals(ulong Count, double Sum, bool IsCumulative);

/// <summary>What one OTLP request decoded to: filed into the store under one lock.</summary>
internal sealed class TelemetryBatch
{
    public List<TelemetryResource> Resources { get; } = [];

    public List<LogEntry> Logs { get; } = [];

    public List<SpanEntry> Spans { get; } = [];

    public List<MetricSample> Metrics { get; } = [];

    public int Count => Logs.Count + Spans.Count + Metrics.Count;
}
