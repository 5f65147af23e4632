using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using LogisticsSync.Dashboard.Telemetry;
using LogisticsSync.Hosting;

namespace LogisticsSync.Load.DashboardIngest;

internal sealed record PhaseResult(string Signal, int ItemsPerBatch, long Batches, long Bytes, TimeSpan Elapsed, double P50Ms, double P99Ms, long Errors)
{
    public double BatchesPerSecond => Batches / Elapsed.TotalSeconds;

    public double ItemsPerSecond => Batches * ItemsPerBatch / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => Bytes / 1048576.0 / Elapsed.TotalSeconds;
}

/// <summary>A closed loop: <c>Concurrency</c> posters, each sending its next batch as soon as the last one is answered.</summary>
internal static class IngestPhase
{
    public static async Task<PhaseResult> RunAsync(HttpClient client, string signal, byte[][] bodies, int itemsPerBatch, IngestSettings settings)
    {
        Console.WriteLine($"{signal}: {settings.Concurrency} posters for {settings.Seconds} s…");
        var next = -1;
        long batches = 0, bytes = 0, errors = 0;
        var latencies = new List<double>[settings.Concurrency];
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(settings.Seconds);
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (clock.Elapsed < deadline)
            {
                var body = bodies[(uint)Interlocked.Increment(ref next) % bodies.Length];
                var started = Stopwatch.GetTimestamp();
                using var content = Protobuf(body);
                using var response = await client.PostAsync($"/v1/{signal}", content);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref batches);
                    Interlocked.Add(ref bytes, body.Length);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var all = latencies.SelectMany(l => l).Order().ToList();
        var result = new PhaseResult(signal, itemsPerBatch, batches, bytes, elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors);
        Console.WriteLine($"{signal}: {result.BatchesPerSecond:0} batches/s = {result.ItemsPerSecond:0} items/s ({result.MegabytesPerSecond:0.0} MiB/s), p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, {errors} errors");
        return result;
    }

    public static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * fraction))];
}

internal static class Report
{
    public static string Write(IngestSettings settings, List<PhaseResult> results, TelemetryCounts counts, long heapBefore, long heapAfter, long workingSet,
        List<(string Name, double Ms)> queryTimes)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"# Dashboard ingest — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(invariant, $"{Environment.ProcessorCount} cores (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end: the machine is shared), {settings.Concurrency} posters (closed loop), {settings.Seconds} s per signal, Release build; the load generator shares the process and the cores with the receiver.");
        text.AppendLine();
        text.AppendLine("| signal | items per batch | batches/s | items/s | MiB/s (protobuf) | p50 | p99 | errors |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            text.AppendLine(invariant, $"| {r.Signal} | {r.ItemsPerBatch} | {r.BatchesPerSecond:0} | {r.ItemsPerSecond:0} | {r.MegabytesPerSecond:0.0} | {r.P50Ms:0.0} ms | {r.P99Ms:0.0} ms | {r.Errors} |");
        }

        text.AppendLine();
        text.AppendLine(invariant, $"Held at the end: {counts.LogEntries:N0} log entries, {counts.Spans:N0} spans in {counts.Traces:N0} traces, {counts.MetricSeries:N0} series with {counts.MetricPoints:N0} points " +
            $"(limits {counts.Limits.MaxLogEntries:N0} / {counts.Limits.MaxSpans:N0} / {counts.Limits.MaxMetricSeries:N0} × {counts.Limits.MaxPointsPerSeries}); dropped {counts.DroppedLogEntries:N0} logs, {counts.DroppedSpans:N0} spans, {counts.DroppedMetricPoints:N0} points.");
        text.AppendLine();
        text.AppendLine(invariant, $"Managed heap after a full collection: {heapBefore / 1048576.0:0} MiB before ingest (the estate and the benchmark's prepared bodies), {heapAfter / 1048576.0:0} MiB with every limit reached (the dashboard's share: {(heapAfter - heapBefore) / 1048576.0:0} MiB); process working set {workingSet / 1048576.0:0} MiB (including the load generator and its bodies).");
        text.AppendLine();
        text.AppendLine("| API call at the limits | median of 7 |");
        text.AppendLine("|---|---|");
        foreach (var (name, ms) in queryTimes)
        {
            text.AppendLine(invariant, $"| {name} | {ms:0.0} ms |");
        }

        var directory = Path.Combine(EstateOptions.RepositoryRoot, "load", "reports");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"dashboard-ingest-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
