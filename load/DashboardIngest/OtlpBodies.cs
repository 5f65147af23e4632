using Google.Protobuf;
using LogisticsSync.Dashboard.Otlp.Proto.Collector;
using LogisticsSync.Dashboard.Otlp.Proto.Common;
using LogisticsSync.Dashboard.Otlp.Proto.Logs;
using LogisticsSync.Dashboard.Otlp.Proto.Metrics;
using LogisticsSync.Dashboard.Otlp.Proto.Trace;
using ProtoResource = LogisticsSync.Dashboard.Otlp.Proto.Resource.Resource;

namespace LogisticsSync.Load.DashboardIngest;

/// <summary>
/// OTLP request bodies shaped like what the services' exporter sends: ASP.NET Core server spans and
/// HttpClient/Npgsql children with their usual attributes, log records with a formatted message and
/// scope attributes, runtime-like metric batches. Random ids, so traces do not collide.
/// </summary>
internal static class OtlpBodies
{
    private static readonly ulong NowNanos = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    public static byte[] Traces(Random random, string service, int instance, int spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        for (var i = 0; i < spans; i += 5)
        {
            var traceId = RandomBytes(random, 16);
            var rootId = RandomBytes(random, 8);
            var start = NowNanos + (ulong)i * 1_000_000;
            scope.Spans.Add(NewSpan(traceId, rootId, ByteString.Empty, "GET /api/v1/shipments/{id}", Span.Types.SpanKind.Server, start, 4_000_000,
                ("http.request.method", "GET"), ("url.path", $"/api/v1/shipments/{random.Next():x}"), ("http.route", "/api/v1/shipments/{id}"),
                ("http.response.status_code", "200"), ("server.address", "127.0.0.1"), ("correlation.id", Guid.NewGuid().ToString("N")),
                ("network.protocol.version", "1.1"), ("url.scheme", "http")));
            for (var child = 1; child < 5 && i + child < spans; child++)
            {
                scope.Spans.Add(NewSpan(traceId, RandomBytes(random, 8), rootId, child % 2 == 0 ? "postgresql" : "GET", Span.Types.SpanKind.Client,
                    start + (ulong)child * 500_000, 400_000, ("db.system", "postgresql"), ("db.statement", "SELECT state, version FROM shipments WHERE id = $1"),
                    ("server.address", "127.0.0.1"), ("server.port", "5432")));
            }
        }

        var resourceSpans = new ResourceSpans { Resource = Resource(service, instance) };
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request.ToByteArray();
    }

    public static byte[] Logs(Random random, string service, int instance, int records)
    {
        var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "LogisticsSync.Orchestrator.Shipments" } };
        for (var i = 0; i < records; i++)
        {
            var key = $"SO-{random.Next(100_000, 999_999)}";
            var record = new LogRecord
            {
                TimeUnixNano = NowNanos + (ulong)i * 1_000,
                SeverityNumber = i % 10 == 0 ? SeverityNumber.Warn : SeverityNumber.Info,
                SeverityText = i % 10 == 0 ? "Warning" : "Information",
                Body = new AnyValue { StringValue = $"Milestone packed applied to shipment {key}: Picked → Packed (version {i % 7 + 1})" },
                TraceId = RandomBytes(random, 16),
                SpanId = RandomBytes(random, 8),
            };
            record.Attributes.Add(Attribute("BusinessKey", key));
            record.Attributes.Add(Attribute("CorrelationId", Guid.NewGuid().ToString("N")));
            record.Attributes.Add(Attribute("Milestone", "packed"));
            record.Attributes.Add(Attribute("{OriginalFormat}", "Milestone {Milestone} applied to shipment {BusinessKey}: {From} → {To} (version {Version})"));
            scope.LogRecords.Add(record);
        }

        var resourceLogs = new ResourceLogs { Resource = Resource(service, instance) };
        resourceLogs.ScopeLogs.Add(scope);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(resourceLogs);
        return request.ToByteArray();
    }

    /// <summary>
    /// <paramref name="instruments"/> instruments with <paramref name="seriesPerInstrument"/> attribute sets
    /// each, half counters, a quarter gauges, a quarter histograms; the <paramref name="tick"/>-th export.
    /// </summary>
    public static byte[] Metrics(string service, int instance, int instruments, int seriesPerInstrument, int tick)
    {
        var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore.Hosting" } };
        var time = NowNanos + (ulong)tick * 1_000_000_000;
        for (var i = 0; i < instruments; i++)
        {
            var metric = new Metric { Name = $"benchmark.instrument.{i}", Unit = "s", Description = "An instrument of the ingest benchmark" };
            switch (i % 4)
            {
                case 0 or 1:
                    metric.Sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = true };
                    for (var s = 0; s < seriesPerInstrument; s++)
                    {
                        metric.Sum.DataPoints.Add(WithAttributes(new NumberDataPoint { TimeUnixNano = time, AsInt = tick * (s + 1) }, s));
                    }

                    break;
                case 2:
                    metric.Gauge = new Gauge();
                    for (var s = 0; s < seriesPerInstrument; s++)
                    {
                        metric.Gauge.DataPoints.Add(WithAttributes(new NumberDataPoint { TimeUnixNano = time, AsDouble = s + tick % 10 }, s));
                    }

                    break;
                default:
                    metric.Histogram = new Histogram { AggregationTemporality = AggregationTemporality.Cumulative };
                    for (var s = 0; s < seriesPerInstrument; s++)
                    {
                        var point = new HistogramDataPoint { TimeUnixNano = time, Count = (ulong)tick * 10, Sum = tick * 0.25 };
                        point.ExplicitBounds.Add([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
                        point.BucketCounts.Add(Enumerable.Repeat((ulong)tick, 15));
                        point.Attributes.Add(Attribute("http.route", $"/api/v1/route-{s}"));
                        metric.Histogram.DataPoints.Add(point);
                    }

                    break;
            }

            scope.Metrics.Add(metric);
        }

        var resourceMetrics = new ResourceMetrics { Resource = Resource(service, instance) };
        resourceMetrics.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(resourceMetrics);
        return request.ToByteArray();
    }

    private static NumberDataPoint WithAttributes(NumberDataPoint point, int series)
    {
        point.Attributes.Add(Attribute("http.route", $"/api/v1/route-{series}"));
        point.Attributes.Add(Attribute("http.request.method", "GET"));
        return point;
    }

    private static Span NewSpan(ByteString traceId, ByteString spanId, ByteString parent, string name, Span.Types.SpanKind kind, ulong start, ulong duration,
        params (string Key, string Value)[] attributes)
    {
        var span = new Span { TraceId = traceId, SpanId = spanId, ParentSpanId = parent, Name = name, Kind = kind, StartTimeUnixNano = start, EndTimeUnixNano = start + duration };
        span.Attributes.Add(attributes.Select(a => Attribute(a.Key, a.Value)));
        return span;
    }

    private static ProtoResource Resource(string service, int instance)
    {
        var resource = new ProtoResource();
        resource.Attributes.Add(Attribute("service.name", service));
        resource.Attributes.Add(Attribute("service.instance.id", $"{service}-{instance}"));
        resource.Attributes.Add(Attribute("service.namespace", "logistics-sync"));
        resource.Attributes.Add(Attribute("telemetry.sdk.name", "opentelemetry"));
        resource.Attributes.Add(Attribute("telemetry.sdk.language", "dotnet"));
        resource.Attributes.Add(Attribute("telemetry.sdk.version", "1.20.1"));
        return resource;
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static ByteString RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return ByteString.CopyFrom(bytes);
    }
}
