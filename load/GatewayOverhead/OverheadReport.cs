using System.Globalization;
using System.Text;
using LogisticsSync.LoadRunner.Baselines;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.Load.GatewayOverhead;

internal sealed record PathFigures(ProxyPath Path, Wrk.Figures Saturated, LoadTestResult Open)
{
    public RequestSummary OpenTotal => Open.Scenarios.Single().Total;
}

internal sealed record OverheadReport(string Markdown, bool GoalsMet)
{
    public const double ThroughputGoal = 0.80;
    public const double AddedP99GoalMs = 2.0;

    public static OverheadReport Write(IReadOnlyList<PathFigures> paths, OverheadSettings settings)
    {
        var bare = paths.Single(p => p.Path.Slug == "bare-yarp");
        var gateway = paths.Single(p => p.Path.Slug == "gateway");
        var throughputRatio = gateway.Saturated.RequestsPerSecond / bare.Saturated.RequestsPerSecond;
        var addedP99 = gateway.OpenTotal.Latency.At(99) - bare.OpenTotal.Latency.At(99);
        var machine = bare.Open.Machine;
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Gateway overhead — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Machine: {string.Join(", ", machine.Describe().Select(d => $"{d.Name} {d.Value}"))}. The same upstream endpoint (`GET /api/v1/shipments/{{id}}`, answered from memory by bare Kestrel) three ways; load generator, proxies, upstream and Redis all on this box.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"| path | saturated req/s (wrk, {settings.Connections} connections, {settings.Seconds} s) | wrk p99 | open model {settings.Rate:0}/s: p50 | p99 | p99.9 | service time p99 | non-2xx | late / dropped starts |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var path in paths)
        {
            var open = path.OpenTotal;
            var starts = path.Open.Scenarios.Single().Starts;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {path.Path.Name} | {path.Saturated.RequestsPerSecond:0} | {path.Saturated.P99Ms:0.00} ms | {open.Latency.At(50):0.00} ms | {open.Latency.At(99):0.00} ms | {open.Latency.At(99.9):0.00} ms | {open.ServiceTime.At(99):0.00} ms | {open.Fail + path.Saturated.Non2xx} | {starts.Late} / {starts.Dropped} |");
        }

        var throughputMet = throughputRatio >= ThroughputGoal;
        var latencyMet = addedP99 <= AddedP99GoalMs;
        text.AppendLine()
            .AppendLine("| goal | measured | met |")
            .AppendLine("|---|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| gateway keeps ≥ {ThroughputGoal:P0} of bare YARP's saturated throughput | {throughputRatio:P0} | {(throughputMet ? "yes" : "**no**")} |")
            .AppendLine(CultureInfo.InvariantCulture, $"| at {settings.Rate:0} req/s the gateway adds ≤ {AddedP99GoalMs} ms at p99 over bare YARP | {addedP99:+0.00;-0.00} ms | {(latencyMet ? "yes" : "**no**")} |")
            .AppendLine()
            .AppendLine("Open-model latency is measured from each request's intended start (coordinated omission corrected); service time from the actual send. The runner's full reports (HTML, Markdown, CSV) are in the sub-folders.");
        foreach (var warning in paths.SelectMany(p => p.Open.Warnings.Select(w => $"{p.Path.Name}: {w}")))
        {
            text.AppendLine().Append("> warning: ").AppendLine(warning);
        }

        return new OverheadReport(text.ToString(), throughputMet && latencyMet);
    }
}
