using System.Text.Json;
using LogisticsSync.Dashboard.Api;
using LogisticsSync.Dashboard.Telemetry;
using static LogisticsSync.Dashboard.Tests.Telemetry.TelemetryStoreTests;

namespace LogisticsSync.Dashboard.Tests.Api;

public sealed class OtlpJsonExportTests
{
    [Fact]
    public async Task WriteAsync_HeldTelemetry_OtlpJsonEncoding()
    {
        var store = new TelemetryStore(new TelemetryLimits());
        var batch = Batch(
            logs: [Log("released") with { TraceId = "0af7651916cd43dd8448eb211c80319c", SeverityNumber = 13, Severity = "Warning" }],
            spans: [Span("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", status: "Error",
                attributes: [new("http.response.status_code", "500", AttributeType.Int), new("retried", "true", AttributeType.Bool), new("http.route", "/x")])]);
        batch.Resources.Add(new TelemetryResource("orchestrator-0", "orchestrator", [new("service.name", "orchestrator"), new("service.instance.id", "orchestrator-0")]));
        batch.Metrics.Add(new MetricSample("orchestrator-0", "orchestrator", "Tests", "logistics.outbox.published", "Published", "{event}", "counter", [],
            new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), 42));
        store.Add(batch);

        using var output = new MemoryStream();
        await OtlpJsonExport.WriteAsync(store, output);
        using var json = JsonDocument.Parse(output.ToArray());

        var resourceSpans = json.RootElement.GetProperty("resourceSpans")[0];
        Assert.Equal("orchestrator", resourceSpans.GetProperty("resource").GetProperty("attributes")[0].GetProperty("value").GetProperty("stringValue").GetString());
        var span = resourceSpans.GetProperty("scopeSpans")[0].GetProperty("spans")[0];
        Assert.Equal(("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", 2, 2),
            (span.GetProperty("traceId").GetString(), span.GetProperty("spanId").GetString(), span.GetProperty("kind").GetInt32(), span.GetProperty("status").GetProperty("code").GetInt32()));
        // OTLP JSON: 64-bit integers and nanosecond times as strings.
        Assert.Equal("1795435200000000000", span.GetProperty("startTimeUnixNano").GetString());
        var attributes = span.GetProperty("attributes");
        Assert.Equal("500", attributes[0].GetProperty("value").GetProperty("intValue").GetString());
        Assert.True(attributes[1].GetProperty("value").GetProperty("boolValue").GetBoolean());
        Assert.Equal("/x", attributes[2].GetProperty("value").GetProperty("stringValue").GetString());

        var log = json.RootElement.GetProperty("resourceLogs")[0].GetProperty("scopeLogs")[0].GetProperty("logRecords")[0];
        Assert.Equal((13, "released"), (log.GetProperty("severityNumber").GetInt32(), log.GetProperty("body").GetProperty("stringValue").GetString()));

        var metric = json.RootElement.GetProperty("resourceMetrics")[0].GetProperty("scopeMetrics")[0].GetProperty("metrics")[0];
        var sum = metric.GetProperty("sum");
        Assert.True(sum.GetProperty("isMonotonic").GetBoolean());
        Assert.Equal(2, sum.GetProperty("aggregationTemporality").GetInt32());
        Assert.Equal(42, sum.GetProperty("dataPoints")[0].GetProperty("asDouble").GetDouble());
    }

    [Theory]
    [InlineData(null, true, null)]
    [InlineData("warning", true, 13)]
    [InlineData("Information", true, 9)]
    [InlineData("17", true, 17)]
    [InlineData("loud", false, -1)]
    [InlineData("25", false, -1)]
    public void TryParseLevel_NamesAndNumbers(string? level, bool known, int? expected)
    {
        Assert.Equal(known, TelemetryApi.TryParseLevel(level, out var minSeverity));
        Assert.Equal(expected, minSeverity);
    }
}
