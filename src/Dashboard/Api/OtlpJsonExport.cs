using System.Text.Json;
using LogisticsSync.Dashboard.Telemetry;

namespace LogisticsSync.Dashboard.Api;

/// <summary>
/// Writes what the dashboard holds in the OTLP/JSON encoding (lowerCamelCase fields, hex trace and span
/// ids, 64-bit numbers as strings): <c>resourceSpans</c>, <c>resourceLogs</c> and <c>resourceMetrics</c>,
/// each as in a TracesData, LogsData and MetricsData message, so any one of them can be read by an OTLP tool.
/// Histograms are held as per-interval count and mean only, so they are exported as summaries without quantiles.
/// </summary>
internal static class OtlpJsonExport
{
    public static async Task WriteAsync(TelemetryStore store, Stream output)
    {
        var (resources, logs, spans, metrics) = store.Snapshot();
        var resourceById = resources.ToDictionary(r => r.Id);
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();

        WriteResourceGroups(json, "resourceSpans", "scopeSpans", "spans", resourceById, spans.GroupBy(s => (s.ResourceId, s.Scope)), WriteSpan);
        WriteResourceGroups(json, "resourceLogs", "scopeLogs", "logRecords", resourceById, logs.GroupBy(l => (l.ResourceId, l.Category)), WriteLog);
        WriteResourceGroups(json, "resourceMetrics", "scopeMetrics", "metrics", resourceById,
            metrics.GroupBy(m => (m.Instrument.ResourceId, m.Instrument.Scope)), WriteMetric);

        json.WriteEndObject();
        await json.FlushAsync();
    }

    private static void WriteResourceGroups<T>(Utf8JsonWriter json, string resourceArray, string scopeArray, string itemArray,
        Dictionary<string, TelemetryResource> resources, IEnumerable<IGrouping<(string ResourceId, string Scope), T>> groups, Action<Utf8JsonWriter, T> writeItem)
    {
        json.WriteStartArray(resourceArray);
        foreach (var byResource in groups.GroupBy(g => g.Key.ResourceId))
        {
            json.WriteStartObject();
            json.WriteStartObject("resource");
            WriteAttributes(json, "attributes", resources.TryGetValue(byResource.Key, out var resource) ? resource.Attributes : [new("service.instance.id", byResource.Key)]);
            json.WriteEndObject();
            json.WriteStartArray(scopeArray);
            foreach (var byScope in byResource)
            {
                json.WriteStartObject();
                json.WriteStartObject("scope");
                json.WriteString("name", byScope.Key.Scope);
                json.WriteEndObject();
                json.WriteStartArray(itemArray);
                foreach (var item in byScope)
                {
                    writeItem(json, item);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteSpan(Utf8JsonWriter json, SpanEntry span)
    {
        json.WriteStartObject();
        json.WriteString("traceId", span.TraceId);
        json.WriteString("spanId", span.SpanId);
        if (span.ParentSpanId is not null)
        {
            json.WriteString("parentSpanId", span.ParentSpanId);
        }

        json.WriteString("name", span.Name);
        json.WriteNumber("kind", span.Kind switch { "Server" => 2, "Client" => 3, "Producer" => 4, "Consumer" => 5, _ => 1 });
        json.WriteString("startTimeUnixNano", UnixNanos(span.Start));
        json.WriteString("endTimeUnixNano", UnixNanos(span.End));
        WriteAttributes(json, "attributes", span.Attributes);
        json.WriteStartArray("events");
        foreach (var spanEvent in span.Events)
        {
            json.WriteStartObject();
            json.WriteString("timeUnixNano", UnixNanos(spanEvent.Timestamp));
            json.WriteString("name", spanEvent.Name);
            WriteAttributes(json, "attributes", spanEvent.Attributes);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("status");
        json.WriteNumber("code", span.Status switch { "Ok" => 1, "Error" => 2, _ => 0 });
        if (span.StatusMessage is not null)
        {
            json.WriteString("message", span.StatusMessage);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteLog(Utf8JsonWriter json, LogEntry log)
    {
        json.WriteStartObject();
        json.WriteString("timeUnixNano", UnixNanos(log.Timestamp));
        json.WriteNumber("severityNumber", log.SeverityNumber);
        json.WriteString("severityText", log.Severity);
        json.WriteStartObject("body");
        json.WriteString("stringValue", log.Message);
        json.WriteEndObject();
        WriteAttributes(json, "attributes", log.Attributes);
        if (log.TraceId is not null)
        {
            json.WriteString("traceId", log.TraceId);
        }

        if (log.SpanId is not null)
        {
            json.WriteString("spanId", log.SpanId);
        }

        if (log.EventName is not null)
        {
            json.WriteString("eventName", log.EventName);
        }

        json.WriteEndObject();
    }

    private static void WriteMetric(Utf8JsonWriter json, (MetricInstrumentInfo Instrument, IReadOnlyList<MetricSeriesInfo> Series) metric)
    {
        var (instrument, series) = metric;
        json.WriteStartObject();
        json.WriteString("name", instrument.Name);
        json.WriteString("description", instrument.Description);
        json.WriteString("unit", instrument.Unit);
        var isSummary = instrument.Kind is "histogram" or "summary";
        json.WriteStartObject(instrument.Kind switch { "counter" or "updown-counter" => "sum", "gauge" => "gauge", _ => "summary" });
        json.WriteStartArray("dataPoints");
        foreach (var (attributes, points) in series.Select(s => (s.Attributes, s.Points)))
        {
            foreach (var point in points)
            {
                json.WriteStartObject();
                WriteAttributes(json, "attributes", attributes);
                json.WriteString("timeUnixNano", UnixNanos(point.Timestamp));
                if (isSummary)
                {
                    var count = point.Count ?? 0;
                    json.WriteString("count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteNumber("sum", point.Value * count);
                }
                else
                {
                    json.WriteNumber("asDouble", point.Value);
                }

                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        if (instrument.Kind is "counter" or "updown-counter")
        {
            json.WriteNumber("aggregationTemporality", 2);
            json.WriteBoolean("isMonotonic", instrument.Kind == "counter");
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter json, string name, IReadOnlyList<TelemetryAttribute> attributes)
    {
        json.WriteStartArray(name);
        foreach (var attribute in attributes)
        {
            json.WriteStartObject();
            json.WriteString("key", attribute.Key);
            json.WriteStartObject("value");
            switch (attribute.Type)
            {
                case AttributeType.Bool:
                    json.WriteBoolean("boolValue", attribute.Value == "true");
                    break;
                case AttributeType.Int:
                    json.WriteString("intValue", attribute.Value);
                    break;
                case AttributeType.Double when double.TryParse(attribute.Value, System.Globalization.CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                    json.WriteNumber("doubleValue", number);
                    break;
                default:
                    json.WriteString("stringValue", attribute.Value);
                    break;
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string UnixNanos(DateTimeOffset timestamp) =>
        ((ulong)(timestamp - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
