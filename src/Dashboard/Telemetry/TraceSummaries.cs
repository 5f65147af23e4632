namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>What the traces list shows of a trace, from the spans the store holds for it.</summary>
internal static class TraceSummaries
{
    public static DateTimeOffset EarliestStart(List<SpanEntry> spans)
    {
        var earliest = spans[0].Start;
        foreach (var span in spans)
        {
            if (span.Start < earliest)
            {
                earliest = span.Start;
            }
        }

        return earliest;
    }

    /// <summary>One line per trace for the traces list: its root span, duration, spans, errors, services and correlation ids.</summary>
    public static TraceSummary Summarize(List<SpanEntry> spans)
    {
        var spanIds = spans.Select(s => s.SpanId).ToHashSet();
        // The root is the span without a parent; while the parent's batch has not arrived yet, the earliest orphan.
        var root = spans.Where(s => s.ParentSpanId is null || !spanIds.Contains(s.ParentSpanId))
            .OrderBy(s => s.ParentSpanId is null ? 0 : 1).ThenBy(s => s.Start).First();
        var start = spans.Min(s => s.Start);
        var end = spans.Max(s => s.End);
        return new TraceSummary(
            spans[0].TraceId,
            $"{root.ServiceName}: {root.Name}",
            start,
            (end - start).TotalMilliseconds,
            spans.Count,
            spans.Count(s => s.IsError),
            spans.Select(s => s.ServiceName).Distinct().Order(StringComparer.Ordinal).ToList(),
            spans.SelectMany(s => s.Attributes).Where(a => TelemetryMatch.IsCorrelationKey(a.Key)).Select(a => a.Value).Distinct().ToList());
    }
}
