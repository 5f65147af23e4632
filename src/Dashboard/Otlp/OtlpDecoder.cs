using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using LogisticsSync.Dashboard.Otlp.Proto.Collector;
using LogisticsSync.Dashboard.Otlp.Proto.Common;
using LogisticsSync.Dashboard.Otlp.Proto.Metrics;
using LogisticsSync.Dashboard.Otlp.Proto.Trace;
using LogisticsSync.Dashboard.Telemetry;
using ProtoResource = LogisticsSync.Dashboard.Otlp.Proto.Resource.Resource;

namespace LogisticsSync.Dashboard.Otlp;

/// <summary>Turns OTLP export requests into the dashboard's own records.</summary>
internal static class OtlpDecoder
{
    /// <summary>Characters kept of one text; OpenTelemetry SDKs leave attribute values unlimited by default.</summary>
    public const int MaxTextLength = 4_096;

    /// <summary>Attributes (and span events) kept per item: the OpenTelemetry SDKs' own default limit.</summary>
    public const int MaxAttributes = 128;

    public static TelemetryBatch DecodeTraces(ExportTraceServiceRequest request)
    {
        var batch = new TelemetryBatch();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = AddResource(batch, resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    batch.Spans.Add(new SpanEntry(
                        Hex(span.TraceId),
                        Hex(span.SpanId),
                        span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
                        StringPool.Shared.Intern(Bounded(span.Name)),
                        KindName(span.Kind),
                        FromUnixNanos(span.StartTimeUnixNano),
                        FromUnixNanos(span.EndTimeUnixNano),
                        span.Status?.Code switch
                        {
                            Status.Types.StatusCode.Error => "Error",
                            Status.Types.StatusCode.Ok => "Ok",
                            _ => "Unset",
                        },
                        string.IsNullOrEmpty(span.Status?.Message) ? null : Bounded(span.Status.Message),
                        resource.Id,
                        resource.ServiceName,
                        StringPool.Shared.Intern(scopeSpans.Scope?.Name ?? ""),
                        Attributes(span.Attributes),
                        span.Events.Take(MaxAttributes).Select(e => new SpanEvent(FromUnixNanos(e.TimeUnixNano), Bounded(e.Name), Attributes(e.Attributes))).ToList()));
                }
            }
        }

        return batch;
    }

    public static TelemetryBatch DecodeLogs(ExportLogsServiceRequest request)
    {
        var batch = new TelemetryBatch();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var resource = AddResource(batch, resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                foreach (var record in scopeLogs.LogRecords)
                {
                    var severity = (int)record.SeverityNumber;
                    batch.Logs.Add(new LogEntry(
                        0,
                        FromUnixNanos(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
                        resource.Id,
                        resource.ServiceName,
                        severity,
                        string.IsNullOrEmpty(record.SeverityText) ? SeverityName(severity) : record.SeverityText,
                        record.Body is null ? "" : Bounded(Text(record.Body)),
                        StringPool.Shared.Intern(scopeLogs.Scope?.Name ?? ""),
                        record.TraceId.IsEmpty ? null : Hex(record.TraceId),
                        record.SpanId.IsEmpty ? null : Hex(record.SpanId),
                        string.IsNullOrEmpty(record.EventName) ? null : record.EventName,
                        Attributes(record.Attributes)));
                }
            }
        }

        return batch;
    }

    public static TelemetryBatch DecodeMetrics(ExportMetricsServiceRequest request)
    {
        var batch = new TelemetryBatch();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var resource = AddResource(batch, resourceMetrics.Resource);
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                var scope = scopeMetrics.Scope?.Name ?? "";
                foreach (var metric in scopeMetrics.Metrics)
                {
                    MetricSample Sample(string kind, RepeatedField<KeyValue> attributes, ulong time, double value, HistogramTotals? histogram = null) =>
                        new(resource.Id, resource.ServiceName, scope, metric.Name, metric.Description, metric.Unit, kind,
                            Attributes(attributes), FromUnixNanos(time), value, histogram);

                    switch (metric.DataCase)
                    {
                        case Metric.DataOneofCase.Gauge:
                            batch.Metrics.AddRange(metric.Gauge.DataPoints.Select(p => Sample("gauge", p.Attributes, p.TimeUnixNano, Number(p))));
                            break;
                        case Metric.DataOneofCase.Sum:
                            var kind = metric.Sum.IsMonotonic ? "counter" : "updown-counter";
                            batch.Metrics.AddRange(metric.Sum.DataPoints.Select(p => Sample(kind, p.Attributes, p.TimeUnixNano, Number(p))));
                            break;
                        case Metric.DataOneofCase.Histogram:
                            var cumulative = metric.Histogram.AggregationTemporality == AggregationTemporality.Cumulative;
                            batch.Metrics.AddRange(metric.Histogram.DataPoints.Select(p => Sample("histogram", p.Attributes, p.TimeUnixNano,
                                p.Count == 0 ? 0 : p.Sum / p.Count, new HistogramTotals(p.Count, p.Sum, cumulative))));
                            break;
                        case Metric.DataOneofCase.ExponentialHistogram:
                            var exponentialCumulative = metric.ExponentialHistogram.AggregationTemporality == AggregationTemporality.Cumulative;
                            batch.Metrics.AddRange(metric.ExponentialHistogram.DataPoints.Select(p => Sample("histogram", p.Attributes, p.TimeUnixNano,
                                p.Count == 0 ? 0 : p.Sum / p.Count, new HistogramTotals(p.Count, p.Sum, exponentialCumulative))));
                            break;
                        case Metric.DataOneofCase.Summary:
                            batch.Metrics.AddRange(metric.Summary.DataPoints.Select(p => Sample("summary", p.Attributes, p.TimeUnixNano,
                                p.Count == 0 ? 0 : p.Sum / p.Count)));
                            break;
                    }
                }
            }
        }

        return batch;
    }

    public static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    internal static DateTimeOffset FromUnixNanos(ulong nanos) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));

    internal static string SeverityName(int severity) => severity switch
    {
        >= 21 => "Critical",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => "Unspecified",
    };

    private static TelemetryResource AddResource(TelemetryBatch batch, ProtoResource? resource)
    {
        var attributes = resource is null ? [] : Attributes(resource.Attributes);
        var serviceName = attributes.FirstOrDefault(a => a.Key == "service.name")?.Value ?? "unknown_service";
        var instanceId = attributes.FirstOrDefault(a => a.Key == "service.instance.id")?.Value;
        var decoded = new TelemetryResource(instanceId ?? serviceName, serviceName, attributes);
        // Every batch repeats its resource; keep one instance per id, so a large batch holds it once.
        var known = batch.Resources.Find(r => r.Id == decoded.Id);
        if (known is null)
        {
            batch.Resources.Add(decoded);
        }

        return known ?? decoded;
    }

    private static string KindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Server => "Server",
        Span.Types.SpanKind.Client => "Client",
        Span.Types.SpanKind.Producer => "Producer",
        Span.Types.SpanKind.Consumer => "Consumer",
        _ => "Internal",
    };

    private static double Number(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    private static List<TelemetryAttribute> Attributes(RepeatedField<KeyValue> attributes)
    {
        var list = new List<TelemetryAttribute>(Math.Min(attributes.Count, MaxAttributes));
        foreach (var attribute in attributes.Take(MaxAttributes))
        {
            list.Add(Attribute(attribute));
        }

        return list;
    }

    /// <summary>
    /// What the dashboard keeps of one text (a message, an attribute value): a sender's oversized field is
    /// shown truncated, never held whole; a screen of text is all anyone reads in a dashboard anyway.
    /// </summary>
    internal static string Bounded(string text) =>
        text.Length <= MaxTextLength ? text : $"{text[..MaxTextLength]}… [{text.Length - MaxTextLength} more characters]";

    private static TelemetryAttribute Attribute(KeyValue attribute)
    {
        var key = StringPool.Shared.Intern(attribute.Key);
        return attribute.Value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.BoolValue => new(key, attribute.Value.BoolValue ? "true" : "false", AttributeType.Bool),
            AnyValue.ValueOneofCase.IntValue => new(key, StringPool.Shared.Intern(attribute.Value.IntValue.ToString(CultureInfo.InvariantCulture)), AttributeType.Int),
            AnyValue.ValueOneofCase.DoubleValue => new(key, attribute.Value.DoubleValue.ToString("R", CultureInfo.InvariantCulture), AttributeType.Double),
            AnyValue.ValueOneofCase.StringValue => new(key, StringPool.Shared.Intern(Bounded(attribute.Value.StringValue))),
            null or AnyValue.ValueOneofCase.None => new(key, ""),
            _ => new(key, Bounded(Text(attribute.Value)), AttributeType.Other),
        };
    }

    private static string Text(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => $"[{string.Join(", ", value.ArrayValue.Values.Select(Text))}]",
        AnyValue.ValueOneofCase.KvlistValue => $"{{{string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {Text(kv.Value)}"))}}}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => "",
    };
}
