namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>
/// An estimate of what a log entry or span holds in memory: two bytes a character of every string it carries
/// plus a fixed overhead for the objects. Pooled strings are counted each time: the budget errs on the safe side.
/// </summary>
internal static class TelemetrySize
{
    private const long EntryOverhead = 160;
    private const long AttributeOverhead = 48;

    public static long Of(LogEntry log) =>
        EntryOverhead + Chars(log.Message, log.Category, log.ResourceId, log.ServiceName, log.Severity, log.TraceId, log.SpanId, log.EventName)
        + Of(log.Attributes);

    public static long Of(SpanEntry span) =>
        EntryOverhead + Chars(span.TraceId, span.SpanId, span.ParentSpanId, span.Name, span.Kind, span.Status, span.StatusMessage,
            span.ResourceId, span.ServiceName, span.Scope)
        + Of(span.Attributes) + span.Events.Sum(e => EntryOverhead + Chars(e.Name) + Of(e.Attributes));

    private static long Of(IReadOnlyList<TelemetryAttribute> attributes) =>
        attributes.Sum(a => AttributeOverhead + Chars(a.Key, a.Value));

    private static long Chars(params string?[] values) => values.Sum(v => 2L * (v?.Length ?? 0));
}
