namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>
/// An attribute as the dashboard keeps it. Values are kept as text with their OTLP type, which is all
/// the pages, the filters and the OTLP JSON export need, at a fraction of the decoded messages' memory.
/// </summary>
public sealed record TelemetryAttribute(string Key, string Value, AttributeType Type = AttributeType.String);

public enum AttributeType
{
    String,
    Bool,
    Int,
    Double,
    /// <summary>Arrays, maps and bytes, kept as their JSON-ish text.</summary>
    Other,
}

/// <summary>A process that sends telemetry: one replica of a service (its <c>service.instance.id</c>).</summary>
public sealed record TelemetryResource(string Id, string ServiceName, IReadOnlyList<TelemetryAttribute> Attributes);

public sealed record LogEntry(
    long Sequence,
    DateTimeOffset Timestamp,
    string ResourceId,
    string ServiceName,
    int SeverityNumber,
    string Severity,
    string Message,
    string Category,
    string? TraceId,
    string? SpanId,
    string? EventName,
    IReadOnlyList<TelemetryAttribute> Attributes);

public sealed record SpanEvent(DateTimeOffset Timestamp, string Name, IReadOnlyList<TelemetryAttribute> Attributes);

public sealed record SpanEntry(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    string? StatusMessage,
    string ResourceId,
    string ServiceName,
    string Scope,
    IReadOnlyList<TelemetryAttribute> Attributes,
    IReadOnlyList<SpanEvent> Events)
{
    public double DurationMs => (End - Start).TotalMilliseconds;

    public bool IsError => Status == "Error";
}

public sealed record TraceSummary(
    string TraceId,
    string Name,
    DateTimeOffset Start,
    double DurationMs,
    int SpanCount,
    int ErrorCount,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> CorrelationIds);

public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<SpanEntry> Spans);

/// <summary>One point of a series. For histograms, Value is the mean of what was recorded in the interval.</summary>
public readonly record struct MetricPoint(DateTimeOffset Timestamp, double Value, ulong? Count = null);

public sealed record MetricInstrumentInfo(
    string ResourceId,
    string ServiceName,
    string Scope,
    string Name,
    string Description,
    string Unit,
    string Kind,
    int SeriesCount);

public sealed record MetricSeriesInfo(IReadOnlyList<TelemetryAttribute> Attributes, IReadOnlyList<MetricPoint> Points);

/// <summary>What was dropped to stay within the limits, and what is held now.</summary>
public sealed record TelemetryCounts(
    int Resources,
    int LogEntries,
    long DroppedLogEntries,
    int Spans,
    int Traces,
    long DroppedSpans,
    int MetricSeries,
    long MetricPoints,
    long DroppedMetricPoints,
    long DroppedMetricSeries,
    TelemetryLimits Limits);
