using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using LogisticsSync.Dashboard.Otlp;
using LogisticsSync.Dashboard.Otlp.Proto.Collector;
using LogisticsSync.Dashboard.Otlp.Proto.Common;
using LogisticsSync.Dashboard.Otlp.Proto.Trace;
using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting.Control;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ProtoResource = LogisticsSync.Dashboard.Otlp.Proto.Resource.Resource;

namespace LogisticsSync.Dashboard.Tests.Otlp;

/// <summary>
/// The receiver against bodies the real OpenTelemetry .NET exporter sends (the same package and
/// settings as the services), plus the error paths and gzip with hand-built messages.
/// </summary>
public sealed class OtlpReceiverTests : IAsyncLifetime
{
    private const string ApiKey = "test-key";
    private readonly TelemetryStore _store = new(new TelemetryLimits());
    private readonly TelemetryIntake _intake = new();
    private LoopbackWebApp _app = null!;

    private Uri Url => _app.Url;

    public async Task InitializeAsync() => _app = await LoopbackWebApp.StartAsync(app => app.MapOtlpReceiver(_store, _intake, ApiKey));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void Traces_FromTheOpenTelemetryExporter_DecodedWithParentsAttributesAndEvents()
    {
        using var source = new ActivitySource("receiver-test");
        string traceId;
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(source.Name).ConfigureResource(Service)
            .AddOtlpExporter(o => Configure(o, "traces")).Build())
        {
            using (var parent = source.StartActivity("release shipment", ActivityKind.Server)!)
            {
                parent.SetTag("correlation.id", "corr-42");
                traceId = parent.TraceId.ToHexString();
                using var insert = source.StartActivity("insert shipment", ActivityKind.Client)!;
                insert.AddEvent(new ActivityEvent("row written", tags: new ActivityTagsCollection { ["rows"] = 1 }));
                insert.SetStatus(ActivityStatusCode.Error, "deadlock");
            }

            provider.ForceFlush();
        }

        var trace = _store.Trace(traceId);
        Assert.NotNull(trace);
        Assert.Equal(2, trace.Summary.SpanCount);
        Assert.Equal(1, trace.Summary.ErrorCount);
        Assert.Equal(["svc"], trace.Summary.Services);
        Assert.Equal(["corr-42"], trace.Summary.CorrelationIds);
        Assert.Equal("svc: release shipment", trace.Summary.Name);
        var root = trace.Spans.Single(s => s.Name == "release shipment");
        var child = trace.Spans.Single(s => s.Name == "insert shipment");
        Assert.Null(root.ParentSpanId);
        Assert.Equal(root.SpanId, child.ParentSpanId);
        Assert.Equal(("Server", "Client", "svc-0"), (root.Kind, child.Kind, child.ResourceId));
        Assert.Equal(("Error", "deadlock"), (child.Status, child.StatusMessage));
        var rowWritten = Assert.Single(child.Events);
        Assert.Equal(new TelemetryAttribute("rows", "1", AttributeType.Int), Assert.Single(rowWritten.Attributes));
        Assert.True(child.End >= child.Start && child.Start.Year == DateTime.UtcNow.Year);
        Assert.Equal(["corr-42"], _store.Traces(new TraceQuery(Correlation: "corr-42")).Select(t => t.CorrelationIds.Single()));
        // Simple export: one batch per ended span.
        Assert.Equal(2, _intake.Snapshot()["traces"].Batches);
    }

    [Fact]
    public void Logs_FromTheOpenTelemetryExporter_DecodedWithSeverityScopesAndTraceContext()
    {
        using var source = new ActivitySource("receiver-test-logs");
        using var listener = new ActivityListener { ShouldListenTo = s => s == source, Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(listener);
        string traceId;
        using (var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("svc", serviceInstanceId: "svc-1"));
            o.AddOtlpExporter(e => Configure(e, "logs"));
        })))
        {
            var logger = factory.CreateLogger("Shipments.Release");
            using var activity = source.StartActivity("work")!;
            traceId = activity.TraceId.ToHexString();
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = "corr-7" }))
            {
                logger.LogWarning("Shipment {BusinessKey} released late", "SO-1001");
            }

            logger.LogInformation("unrelated");
        }

        var warning = Assert.Single(_store.Logs(new LogQuery(MinSeverity: 13)));
        Assert.Equal(("Shipment SO-1001 released late", "Warning", 13), (warning.Message, warning.Severity, warning.SeverityNumber));
        Assert.Equal(("svc-1", "svc", "Shipments.Release", traceId), (warning.ResourceId, warning.ServiceName, warning.Category, warning.TraceId));
        Assert.Contains(new TelemetryAttribute("BusinessKey", "SO-1001"), warning.Attributes);
        Assert.Single(_store.Logs(new LogQuery(Correlation: "corr-7")));
        Assert.Single(_store.Logs(new LogQuery(Correlation: "SO-1001")));
        Assert.Single(_store.Logs(new LogQuery(Text: "so-1001", Resource: "svc")));
        Assert.Equal(2, _store.Logs(new LogQuery(Resource: "svc-1")).Count);
        Assert.Empty(_store.Logs(new LogQuery(Resource: "other")));
    }

    [Fact]
    public void Logs_AnOversizedFieldOfAPartner_KeptTruncated()
    {
        var status = new string('Z', 250_000);
        using (var factory = LoggerFactory.Create(logging => logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("svc", serviceInstanceId: "svc-1"));
            o.AddOtlpExporter(e => Configure(e, "logs"));
        })))
        {
            factory.CreateLogger("Carriers").LogWarning("Unknown carrier status {Status}", status);
        }

        var warning = Assert.Single(_store.Logs(new LogQuery(MinSeverity: 13)));
        Assert.InRange(warning.Message.Length, OtlpDecoder.MaxTextLength, OtlpDecoder.MaxTextLength + 64);
        Assert.EndsWith("more characters]", warning.Message, StringComparison.Ordinal);
        Assert.InRange(warning.Attributes.Single(a => a.Key == "Status").Value.Length, OtlpDecoder.MaxTextLength, OtlpDecoder.MaxTextLength + 64);
    }

    [Fact]
    public void Metrics_FromTheOpenTelemetryExporter_CountersGaugesAndHistogramIntervalMeans()
    {
        using var meter = new Meter("receiver-test-metrics");
        var released = meter.CreateCounter<long>("logistics.shipments.released", unit: "{shipment}", description: "Shipments released");
        var duration = meter.CreateHistogram<double>("logistics.release.duration", unit: "ms");
        meter.CreateObservableGauge("logistics.outbox.lag", () => 3.5);
        using (var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meter.Name).ConfigureResource(Service)
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, "metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
            }).Build())
        {
            released.Add(2, new KeyValuePair<string, object?>("source", "erp"));
            duration.Record(10);
            duration.Record(30);
            provider.ForceFlush();
            released.Add(3, new KeyValuePair<string, object?>("source", "erp"));
            duration.Record(100);
            provider.ForceFlush();
        }

        var instruments = _store.Instruments("svc");
        Assert.Equal(["logistics.outbox.lag", "logistics.release.duration", "logistics.shipments.released"], instruments.Select(i => i.Name).Distinct());
        var counter = instruments.First(i => i.Name == "logistics.shipments.released");
        Assert.Equal(("counter", "{shipment}", "Shipments released", "receiver-test-metrics"), (counter.Kind, counter.Unit, counter.Description, counter.Scope));

        var counterSeries = Assert.Single(_store.Series("svc-0", "logistics.shipments.released")!);
        Assert.Equal(new TelemetryAttribute("source", "erp"), Assert.Single(counterSeries.Attributes));
        Assert.Equal([2.0, 5.0], counterSeries.Points.Take(2).Select(p => p.Value));
        // Cumulative histogram: the second point is the mean of the second interval only (100), not of all three.
        var histogram = Assert.Single(_store.Series("svc-0", "logistics.release.duration")!);
        Assert.Equal([(20.0, 2UL), (100.0, 1UL)], histogram.Points.Take(2).Select(p => (p.Value, p.Count!.Value)));
        Assert.Equal(3.5, Assert.Single(_store.Series("svc-0", "logistics.outbox.lag")!).Points[0].Value);
    }

    [Fact]
    public async Task Post_GzipBody_Decoded()
    {
        using var client = Client();
        using var content = new ByteArrayContent(Gzip(OneSpanRequest("gzipped").ToByteArray()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await client.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("gzipped", Assert.Single(_store.Spans(null, 10)).Name);
    }

    [Theory]
    [InlineData("wrong-key", "application/x-protobuf", false, HttpStatusCode.Unauthorized)]
    [InlineData(ApiKey, "application/json", false, HttpStatusCode.UnsupportedMediaType)]
    [InlineData(ApiKey, "application/x-protobuf", true, HttpStatusCode.BadRequest)]
    public async Task Post_Refused_ProblemDetails(string key, string mediaType, bool garbage, HttpStatusCode expected)
    {
        using var client = Client(key);
        using var content = new ByteArrayContent(garbage ? [0xff, 0xff, 0xff, 0x01] : OneSpanRequest("x").ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);

        using var response = await client.PostAsync("/v1/traces", content);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_store.Spans(null, 10));
    }

    internal static ExportTraceServiceRequest OneSpanRequest(string name, string service = "svc", byte traceByte = 1, byte spanByte = 1)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Enumerable.Repeat(traceByte, 16).ToArray()),
            SpanId = ByteString.CopyFrom(Enumerable.Repeat(spanByte, 8).ToArray()),
            Name = name,
            Kind = Span.Types.SpanKind.Server,
            StartTimeUnixNano = 1_700_000_000_000_000_000,
            EndTimeUnixNano = 1_700_000_000_250_000_000,
        };
        var resource = new ProtoResource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        var scope = new ScopeSpans();
        scope.Spans.Add(span);
        var resourceSpans = new ResourceSpans { Resource = resource };
        resourceSpans.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    private static void Service(ResourceBuilder resource) => resource.Clear().AddService("svc", serviceInstanceId: "svc-0");

    // As the services do through OTEL_EXPORTER_OTLP_*: protobuf over HTTP with the key header; in code the
    // endpoint must be the full per-signal URL. Simple export: the batch goes out when the span ends.
    private void Configure(OtlpExporterOptions options, string signal)
    {
        options.Endpoint = new Uri(Url, $"/v1/{signal}");
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Headers = $"x-otlp-api-key={ApiKey}";
        options.ExportProcessorType = ExportProcessorType.Simple;
    }

    private HttpClient Client(string key = ApiKey)
    {
        var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Add(OtlpReceiver.ApiKeyHeader, key);
        return client;
    }

    private static byte[] Gzip(byte[] body)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }

        return compressed.ToArray();
    }
}
