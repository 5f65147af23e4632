using LogisticsSync.Dashboard.Telemetry;

namespace LogisticsSync.Dashboard.Tests.Telemetry;

public sealed class TelemetryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_MoreLogsThanTheLimit_OldestDroppedAndCounted()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxLogEntries = 3 });

        for (var i = 0; i < 5; i++)
        {
            store.Add(Batch(logs: [Log($"message {i}")]));
        }

        Assert.Equal(["message 4", "message 3", "message 2"], store.Logs(new LogQuery()).Select(l => l.Message));
        Assert.Equal((3, 2L), (store.Counts().LogEntries, store.Counts().DroppedLogEntries));
        Assert.Equal(["message 4"], store.Logs(new LogQuery(After: 4)).Select(l => l.Message));
    }

    [Fact]
    public void Add_MoreSpansThanTheLimit_OldestDroppedAndTheirTraceForgottenWhenEmpty()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxSpans = 3 });

        store.Add(Batch(spans: [Span("t1", "a"), Span("t1", "b", parent: "a"), Span("t2", "c")]));
        store.Add(Batch(spans: [Span("t3", "d", startMs: 10), Span("t3", "e", parent: "d", startMs: 11)]));

        var counts = store.Counts();
        Assert.Equal((3, 2, 2L), (counts.Spans, counts.Traces, counts.DroppedSpans));
        Assert.Null(store.Trace("t1"));
        Assert.Equal(["t3", "t2"], store.Traces(new TraceQuery()).Select(t => t.TraceId));
        Assert.Equal(2, store.Trace("t3")!.Summary.SpanCount);
    }

    [Fact]
    public void Add_LargeLogsPastTheByteBudget_OldestDroppedBeforeTheCountIsReached()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxLogEntries = 1_000, MaxLogBytes = 100_000 });

        for (var i = 0; i < 20; i++)
        {
            store.Add(Batch(logs: [Log($"{i} " + new string('x', 10_000))]));
        }

        var counts = store.Counts();
        Assert.InRange(counts.LogEntries, 1, 5);
        Assert.Equal(20 - counts.LogEntries, counts.DroppedLogEntries);
        Assert.StartsWith("19 ", store.Logs(new LogQuery()).First().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_LargeSpansPastTheByteBudget_OldestDroppedWithTheirTraces()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxSpans = 1_000, MaxSpanBytes = 100_000 });
        TelemetryAttribute[] large = [new("payload", new string('x', 10_000))];

        for (var i = 0; i < 20; i++)
        {
            store.Add(Batch(spans: [Span($"t{i}", $"s{i}", attributes: large, startMs: i)]));
        }

        var counts = store.Counts();
        Assert.InRange(counts.Spans, 1, 5);
        Assert.Equal(counts.Spans, counts.Traces);
        Assert.Null(store.Trace("t0"));
        Assert.NotNull(store.Trace("t19"));
    }

    [Fact]
    public void Add_MorePointsAndSeriesThanTheLimits_OldestPointsDroppedNewSeriesRefused()
    {
        var store = new TelemetryStore(new TelemetryLimits { MaxPointsPerSeries = 2, MaxMetricSeries = 2 });

        for (var i = 0; i < 4; i++)
        {
            store.Add(Batch(metrics: [Sample("requests", i, "route", "/a"), Sample("requests", i, "route", "/b"), Sample("requests", i, "route", "/c")]));
        }

        var series = store.Series("orchestrator-0", "requests")!;
        Assert.Equal(2, series.Count);
        Assert.All(series, s => Assert.Equal([2.0, 3.0], s.Points.Select(p => p.Value)));
        var counts = store.Counts();
        Assert.Equal((2, 4L, 4L, 4L), (counts.MetricSeries, counts.MetricPoints, counts.DroppedMetricPoints, counts.DroppedMetricSeries));
    }

    [Fact]
    public void Traces_FilteredByResourceCorrelationAndErrors()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        store.Add(Batch(spans:
        [
            Span("t1", "a", service: "gateway", attributes: [new("correlation.id", "corr-1")]),
            Span("t1", "b", parent: "a", service: "orchestrator", status: "Error"),
            Span("t2", "c", service: "erp", attributes: [new("shipment.business_key", "SO-9")]),
        ]));

        Assert.Equal(["t1"], store.Traces(new TraceQuery(Resource: "orchestrator")).Select(t => t.TraceId));
        Assert.Equal(["t1"], store.Traces(new TraceQuery(Correlation: "CORR-1")).Select(t => t.TraceId));
        Assert.Equal(["t2"], store.Traces(new TraceQuery(Correlation: "SO-9")).Select(t => t.TraceId));
        Assert.Equal(["t1"], store.Traces(new TraceQuery(ErrorsOnly: true)).Select(t => t.TraceId));
        var t1 = store.Trace("t1")!.Summary;
        Assert.Equal((2, 1, "gateway: a"), (t1.SpanCount, t1.ErrorCount, t1.Name));
        Assert.Equal(["gateway", "orchestrator"], t1.Services);
    }

    [Fact]
    public void Traces_BusinessKeyOnlyInALogOfTheTrace_TraceFound()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        store.Add(Batch(
            logs: [Log("Shipment SO-77 released") with { TraceId = "t1", Attributes = [new("BusinessKey", "SO-77")] }],
            spans: [Span("t1", "a"), Span("t2", "b")]));

        Assert.Equal(["t1"], store.Traces(new TraceQuery(Correlation: "SO-77")).Select(t => t.TraceId));
    }

    [Theory]
    [InlineData("correlation.id", true)]
    [InlineData("CorrelationId", true)]
    [InlineData("x_correlation_id", true)]
    [InlineData("business_key", true)]
    [InlineData("BusinessKey", true)]
    [InlineData("correlation", false)]
    [InlineData("http.route", false)]
    public void IsCorrelationKey_Spellings(string key, bool expected) => Assert.Equal(expected, TelemetryMatch.IsCorrelationKey(key));

    internal static TelemetryBatch Batch(LogEntry[]? logs = null, SpanEntry[]? spans = null, MetricSample[]? metrics = null)
    {
        var batch = new TelemetryBatch();
        batch.Logs.AddRange(logs ?? []);
        batch.Spans.AddRange(spans ?? []);
        batch.Metrics.AddRange(metrics ?? []);
        return batch;
    }

    internal static LogEntry Log(string message, string service = "orchestrator") =>
        new(0, T0, $"{service}-0", service, 9, "Information", message, "Tests", null, null, null, []);

    internal static SpanEntry Span(string traceId, string spanId, string? parent = null, string service = "orchestrator", string status = "Unset",
        TelemetryAttribute[]? attributes = null, int startMs = 0) =>
        new(traceId, spanId, parent, spanId, "Server", T0.AddMilliseconds(startMs), T0.AddMilliseconds(startMs + 5), status, null, $"{service}-0", service, "Tests", attributes ?? [], []);

    private static MetricSample Sample(string name, double value, string key, string attributeValue) =>
        new("orchestrator-0", "orchestrator", "Tests", name, "", "", "gauge", [new(key, attributeValue)], T0.AddSeconds(value), value);
}
