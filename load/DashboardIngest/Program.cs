using LogisticsSync.Dashboard;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Load.DashboardIngest;
using LogisticsSync.ServiceDefaults;

// How fast the AppHost's OTLP receiver takes real protobuf batches, how much memory the dashboard holds
// once every limit is reached, and how fast its API answers at the limits (issue 6). The load generator
// runs in the same process and on the same 2 cores as the receiver: the figures are for the pair.
var settings = IngestSettings.Parse(args);
Console.WriteLine("booting a minimal estate (redis only: the receiver is the AppHost's own)…");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
builder.KeepOnly(ResourceNames.Redis);
await using var estate = await builder.StartHealthyAsync();
var limits = estate.Telemetry.Limits;

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency }) { BaseAddress = estate.DashboardUrl };
client.DefaultRequestHeaders.Add("x-otlp-api-key", estate.OtlpApiKey);
var random = new Random(42);
string[] services = ["orchestrator", "gateway", "erp", "wms", "tms"];

Console.WriteLine($"building bodies ({settings.BatchSize} spans or log records per batch)…");
var traceBodies = Enumerable.Range(0, 256).Select(i => OtlpBodies.Traces(random, services[i % services.Length], i % 2, settings.BatchSize)).ToArray();
var logBodies = Enumerable.Range(0, 256).Select(i => OtlpBodies.Logs(random, services[i % services.Length], i % 2, settings.BatchSize)).ToArray();
const int metricResources = 10, instrumentsPerResource = 50, seriesPerInstrument = 4;
var metricBodies = Enumerable.Range(0, 120).SelectMany(tick => Enumerable.Range(0, metricResources)
    .Select(r => OtlpBodies.Metrics(services[r % services.Length], r, instrumentsPerResource, seriesPerInstrument, tick))).ToArray();

// Measured after the bodies are built: they stay referenced to the end, and are not the dashboard's.
var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
var results = new List<PhaseResult>
{
    await IngestPhase.RunAsync(client, "traces", traceBodies, settings.BatchSize, settings),
    await IngestPhase.RunAsync(client, "logs", logBodies, settings.BatchSize, settings),
    await IngestPhase.RunAsync(client, "metrics", metricBodies, instrumentsPerResource * seriesPerInstrument, settings),
};

// Top metric series up to their point limit, so the memory figure is the one at every default limit.
var fill = Stopwatch.StartNew();
var tick = 120;
while (estate.Telemetry.Counts().MetricPoints < (long)Math.Min(limits.MaxMetricSeries, metricResources * instrumentsPerResource * seriesPerInstrument) * limits.MaxPointsPerSeries
    && fill.Elapsed < TimeSpan.FromMinutes(3))
{
    await Task.WhenAll(Enumerable.Range(0, metricResources).Select(async r =>
    {
        using var content = IngestPhase.Protobuf(OtlpBodies.Metrics(services[r % services.Length], r, instrumentsPerResource, seriesPerInstrument, tick));
        (await client.PostAsync("/v1/metrics", content)).EnsureSuccessStatusCode();
    }));
    tick++;
}

var counts = estate.Telemetry.Counts();
var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
var workingSet = Process.GetCurrentProcess().WorkingSet64;
Console.WriteLine($"held: {counts.LogEntries} logs, {counts.Spans} spans in {counts.Traces} traces, {counts.MetricSeries} series with {counts.MetricPoints} points; " +
    $"dropped: {counts.DroppedLogEntries} logs, {counts.DroppedSpans} spans, {counts.DroppedMetricPoints} points, {counts.DroppedMetricSeries} series");
Console.WriteLine($"managed heap: {heapBefore / 1048576.0:0} MiB before, {heapAfter / 1048576.0:0} MiB at the limits; process working set {workingSet / 1048576.0:0} MiB");

using var api = new HttpClient { BaseAddress = estate.DashboardUrl };
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", estate.ControlToken);
var someTrace = estate.Telemetry.Spans(null, 1)[0].TraceId;
(string Name, string Path)[] queries =
[
    ("logs, newest 200", "/api/telemetry/logs"),
    ("logs, text that matches nothing (full scan)", "/api/telemetry/logs?text=no-such-text"),
    ("logs, correlation id that matches nothing (full scan)", "/api/telemetry/logs?correlation=no-such-id"),
    ("traces, newest 100", "/api/telemetry/traces"),
    ("traces by correlation id (full scan)", "/api/telemetry/traces?correlation=no-such-id"),
    ("one trace", $"/api/telemetry/traces/{someTrace}"),
    ("metric series (4 × 600 points)", "/api/telemetry/metrics/orchestrator-0/benchmark.instrument.0"),
];
var queryTimes = new List<(string Name, double Ms)>();
foreach (var (name, path) in queries)
{
    var times = new List<double>();
    for (var i = 0; i < 7; i++)
    {
        var clock = Stopwatch.StartNew();
        using var response = await api.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    queryTimes.Add((name, times.Order().ElementAt(times.Count / 2)));
    Console.WriteLine($"{name}: {queryTimes[^1].Ms:0.0} ms (median of 7)");
}

var report = Report.Write(settings, results, counts, heapBefore, heapAfter, workingSet, queryTimes);
Console.WriteLine($"report: {report}");
