namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>
/// Everything the dashboard knows, in memory and bounded by <see cref="TelemetryLimits"/>: logs and
/// spans in ring buffers (the oldest goes first), metric series with a fixed number of points each.
/// One lock: a batch is filed in microseconds, and a query copies what it returns before releasing it.
/// </summary>
public sealed class TelemetryStore(TelemetryLimits limits)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TelemetryResource> _resources = [];
    private readonly RingBuffer<LogEntry> _logs = new(limits.MaxLogEntries);
    private readonly RingBuffer<SpanEntry> _spans = new(limits.MaxSpans);
    private readonly Dictionary<string, List<SpanEntry>> _spansByTrace = [];
    private readonly Dictionary<(string Resource, string Scope, string Name), Instrument> _instruments = [];
    private long _logSequence;
    private long _logBytes;
    private long _spanBytes;
    private long _droppedLogs;
    private long _droppedSpans;
    private long _droppedPoints;
    private long _droppedSeries;
    private int _seriesCount;

    public TelemetryLimits Limits { get; } = limits;

    internal void Add(TelemetryBatch batch)
    {
        lock (_gate)
        {
            foreach (var resource in batch.Resources)
            {
                _resources[resource.Id] = resource;
            }

            foreach (var log in batch.Logs)
            {
                AddLog(log with { Sequence = ++_logSequence });
            }

            foreach (var span in batch.Spans)
            {
                AddSpan(span);
            }

            foreach (var sample in batch.Metrics)
            {
                AddMetric(sample);
            }
        }
    }

    public TelemetryCounts Counts()
    {
        lock (_gate)
        {
            return new TelemetryCounts(_resources.Count, _logs.Count, _droppedLogs, _spans.Count, _spansByTrace.Count, _droppedSpans,
                _seriesCount, _instruments.Values.Sum(i => i.Series.Values.Sum(s => (long)s.Points.Count)), _droppedPoints, _droppedSeries, Limits);
        }
    }

    public IReadOnlyList<TelemetryResource> Resources()
    {
        lock (_gate)
        {
            return _resources.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Newest first, at most <see cref="LogQuery.Limit"/>.</summary>
    public IReadOnlyList<LogEntry> Logs(LogQuery query)
    {
        lock (_gate)
        {
            return _logs.NewestFirst()
                .TakeWhile(l => query.After is null || l.Sequence > query.After)
                .Where(l => Matches(l, query))
                .Take(query.Limit)
                .ToList();
        }
    }

    /// <summary>Spans newest first, optionally of one resource.</summary>
    public IReadOnlyList<SpanEntry> Spans(string? resource, int limit)
    {
        lock (_gate)
        {
            return _spans.NewestFirst().Where(s => TelemetryMatch.Resource(resource, s.ResourceId, s.ServiceName)).Take(limit).ToList();
        }
    }

    /// <summary>Traces newest first (by their first span's start).</summary>
    public IReadOnlyList<TraceSummary> Traces(TraceQuery query)
    {
        lock (_gate)
        {
            // Order by a cheap key first and summarise only what is returned: at the span limit there are
            // tens of thousands of traces, and a summary (services, correlation ids) costs far more than a start time.
            var correlatedByLogs = TracesOfCorrelatedLogs(query.Correlation);
            return _spansByTrace.Values
                .Where(spans => Matches(spans, query, correlatedByLogs) && (!query.ErrorsOnly || spans.Exists(s => s.IsError)))
                .Select(spans => (Spans: spans, Start: TraceSummaries.EarliestStart(spans)))
                .OrderByDescending(t => t.Start)
                .Take(query.Limit)
                .Select(t => TraceSummaries.Summarize(t.Spans))
                .ToList();
        }
    }

    public TraceDetail? Trace(string traceId)
    {
        lock (_gate)
        {
            return _spansByTrace.TryGetValue(traceId.ToLowerInvariant(), out var spans)
                ? new TraceDetail(TraceSummaries.Summarize(spans), spans.OrderBy(s => s.Start).ToList())
                : null;
        }
    }

    public IReadOnlyList<MetricInstrumentInfo> Instruments(string? resource)
    {
        lock (_gate)
        {
            return _instruments.Values
                .Where(i => TelemetryMatch.Resource(resource, i.ResourceId, i.ServiceName))
                .Select(i => i.Info())
                .OrderBy(i => i.ResourceId, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The series of one instrument, points oldest first.</summary>
    public IReadOnlyList<MetricSeriesInfo>? Series(string resourceId, string name)
    {
        lock (_gate)
        {
            var instrument = _instruments.Values.FirstOrDefault(i => i.ResourceId == resourceId && i.Name == name);
            return instrument?.Series.Values.Select(s => s.Info()).ToList();
        }
    }

    /// <summary>Everything held, for the OTLP JSON export: a copy taken under the lock.</summary>
    internal (IReadOnlyList<TelemetryResource> Resources, IReadOnlyList<LogEntry> Logs, IReadOnlyList<SpanEntry> Spans, IReadOnlyList<(MetricInstrumentInfo Instrument, IReadOnlyList<MetricSeriesInfo> Series)> Metrics) Snapshot()
    {
        lock (_gate)
        {
            return (_resources.Values.ToList(), _logs.OldestFirst().ToList(), _spans.OldestFirst().ToList(),
                _instruments.Values.Select(i => (i.Info(), (IReadOnlyList<MetricSeriesInfo>)i.Series.Values.Select(s => s.Info()).ToList())).ToList());
        }
    }

    private void AddLog(LogEntry log)
    {
        if (_logs.Add(log, out var evicted))
        {
            Forget(evicted!);
        }

        _logBytes += TelemetrySize.Of(log);
        while (_logBytes > Limits.MaxLogBytes && _logs.Count > 1 && _logs.TryRemoveOldest(out var oldest))
        {
            Forget(oldest!);
        }

        void Forget(LogEntry dropped)
        {
            _droppedLogs++;
            _logBytes -= TelemetrySize.Of(dropped);
        }
    }

    private void AddSpan(SpanEntry span)
    {
        if (_spans.Add(span, out var evicted))
        {
            ForgetSpan(evicted!);
        }

        if (!_spansByTrace.TryGetValue(span.TraceId, out var trace))
        {
            _spansByTrace[span.TraceId] = trace = [];
        }

        trace.Add(span);
        _spanBytes += TelemetrySize.Of(span);
        while (_spanBytes > Limits.MaxSpanBytes && _spans.Count > 1 && _spans.TryRemoveOldest(out var oldest))
        {
            ForgetSpan(oldest!);
        }
    }

    private void ForgetSpan(SpanEntry evicted)
    {
        _droppedSpans++;
        _spanBytes -= TelemetrySize.Of(evicted);
        var siblings = _spansByTrace[evicted.TraceId];
        // By reference: record equality would compare every field of every sibling.
        siblings.RemoveAt(siblings.FindIndex(s => ReferenceEquals(s, evicted)));
        if (siblings.Count == 0)
        {
            _spansByTrace.Remove(evicted.TraceId);
        }
    }

    private void AddMetric(MetricSample sample)
    {
        var key = (sample.ResourceId, sample.Scope, sample.Name);
        if (!_instruments.TryGetValue(key, out var instrument))
        {
            _instruments[key] = instrument = new Instrument(sample);
        }

        var seriesKey = string.Join('\u001f', sample.Attributes.Select(a => $"{a.Key}={a.Value}"));
        if (!instrument.Series.TryGetValue(seriesKey, out var series))
        {
            if (_seriesCount >= Limits.MaxMetricSeries)
            {
                _droppedSeries++;
                return;
            }

            instrument.Series[seriesKey] = series = new MetricSeries(sample.Attributes, Limits.MaxPointsPerSeries);
            _seriesCount++;
        }

        if (series.Add(sample))
        {
            _droppedPoints++;
        }
    }

    private static bool Matches(LogEntry log, LogQuery query) =>
        TelemetryMatch.Resource(query.Resource, log.ResourceId, log.ServiceName)
        && (query.MinSeverity is null || log.SeverityNumber >= query.MinSeverity)
        && (string.IsNullOrEmpty(query.TraceId) || string.Equals(log.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(query.Correlation) || TelemetryMatch.HasCorrelation(log.Attributes, query.Correlation)
            || string.Equals(log.TraceId, query.Correlation, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(query.Text) || log.Message.Contains(query.Text, StringComparison.OrdinalIgnoreCase)
            || log.Category.Contains(query.Text, StringComparison.OrdinalIgnoreCase) || TelemetryMatch.ContainsText(log.Attributes, query.Text));

    /// <summary>
    /// Business keys are often only in logs (a log message's <c>BusinessKey</c> parameter), not on spans:
    /// a trace matches a correlation filter too when one of its logs does.
    /// </summary>
    private HashSet<string> TracesOfCorrelatedLogs(string? correlation)
    {
        var traceIds = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(correlation))
        {
            foreach (var log in _logs.OldestFirst())
            {
                if (log.TraceId is not null && TelemetryMatch.HasCorrelation(log.Attributes, correlation))
                {
                    traceIds.Add(log.TraceId);
                }
            }
        }

        return traceIds;
    }

    private static bool Matches(List<SpanEntry> spans, TraceQuery query, HashSet<string> correlatedByLogs) =>
        (string.IsNullOrEmpty(query.Resource) || spans.Exists(s => TelemetryMatch.Resource(query.Resource, s.ResourceId, s.ServiceName)))
        && (string.IsNullOrEmpty(query.Correlation)
            || string.Equals(spans[0].TraceId, query.Correlation, StringComparison.OrdinalIgnoreCase)
            || correlatedByLogs.Contains(spans[0].TraceId)
            || spans.Exists(s => TelemetryMatch.HasCorrelation(s.Attributes, query.Correlation)));
}
