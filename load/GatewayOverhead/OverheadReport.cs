using System.Globalization;
using System.Text;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.Load.GatewayOverhead;

internal sealed record OverheadReport(string Markdown, bool GoalsMet)
{
    public const double ThroughputGoal = 0.80;
    public const double AddedP99GoalMs = 2.0;

    /// <summary>Every figure is the median over the rounds, with the lowest and highest round beside it: the spread is part of the result.</summary>
    public static OverheadReport Write(ProxyPaths paths, IReadOnlyList<SaturatedRun> saturated, IReadOnlyList<OpenRun> open, AuditCount audit,
        OverheadSettings settings, string loadBefore)
    {
        var machine = MachineInfo.Current();
        var rounds = Enumerable.Range(1, settings.Rounds).ToList();
        var comparison = RoundComparison.Of(rounds, saturated, open);
        var throughputMet = Median(comparison.ThroughputRatios) >= ThroughputGoal;
        var latencyMet = Median(comparison.AddedP99) <= AddedP99GoalMs;

        var text = new StringBuilder();
        AppendSetup(text, machine, paths, settings, loadBefore);
        AppendPaths(text, paths, saturated, open);
        AppendGoals(text, comparison, settings, throughputMet, latencyMet);
        AppendRounds(text, rounds, comparison);
        AppendNotes(text, audit, settings, open);
        return new OverheadReport(text.ToString(), throughputMet && latencyMet);
    }

    private static void AppendSetup(StringBuilder text, MachineInfo machine, ProxyPaths paths, OverheadSettings settings, string loadBefore) => text
        .AppendLine(CultureInfo.InvariantCulture, $"# Gateway overhead — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"Machine: {string.Join(", ", machine.Describe().Where(d => !d.Name.StartsWith("load", StringComparison.Ordinal)).Select(d => $"{d.Name} {d.Value}"))}; load average (1, 5, 15 min) {loadBefore} at the start, {machine.LoadAverage} at the end.")
        .AppendLine(CultureInfo.InvariantCulture, $"CPUs each process may use: {string.Join(", ", paths.All.Select(p => $"{p.Slug} {ProcessCpu.Affinity(p.Pid)}"))}, redis {ProcessCpu.Affinity(paths.RedisPid)} (the same for all; wrk and the load runner share them too).")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"The same upstream endpoint (`GET /api/v1/shipments/{{id}}`, answered from memory by bare Kestrel) three ways; load generator, proxies, upstream and Redis all on this box. Every path was warmed up with {settings.WarmUpSeconds} s of unmeasured load, then measured in {settings.Rounds} interleaved rounds (order flipped every round): wrk flat out ({settings.Connections} connections, {settings.Seconds} s) with the CPU time each request cost the proxy process, then the load runner's open model at {settings.Rate:0} req/s ({settings.OpenSeconds} s after 1 s of warm-up). Figures: median over the rounds [lowest – highest].")
        .AppendLine();

    private static void AppendPaths(StringBuilder text, ProxyPaths paths, IReadOnlyList<SaturatedRun> saturated, IReadOnlyList<OpenRun> open)
    {
        text.AppendLine("| path | saturated req/s | proxy CPU per request | Redis CPU per request | open model p50 | p99 | p99.9 | service time p99 | non-2xx | late / dropped starts |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var path in paths.All)
        {
            var runs = saturated.Where(r => r.Path.Slug == path.Slug).ToList();
            var opens = open.Where(r => r.Path.Slug == path.Slug).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {path.Name} | {Spread(runs.Select(r => r.Wrk.RequestsPerSecond), "0")} | {Spread(runs.Select(r => r.CpuMicrosPerRequest), "0")} µs | {(path.Slug == "gateway" ? Spread(runs.Select(r => r.RedisCpuMicrosPerRequest), "0") + " µs" : "–")} " +
                $"| {Median(opens.Select(o => o.Total.Latency.At(50)).ToList()):0.00} ms | {Spread(opens.Select(o => o.Total.Latency.At(99)), "0.00")} ms | {Median(opens.Select(o => o.Total.Latency.At(99.9)).ToList()):0.00} ms " +
                $"| {Median(opens.Select(o => o.Total.ServiceTime.At(99)).ToList()):0.00} ms | {opens.Sum(o => o.Total.Fail) + runs.Sum(r => r.Wrk.Non2xx)} " +
                $"| {opens.Sum(o => o.Result.Scenarios.Single().Starts.Late)} / {opens.Sum(o => o.Result.Scenarios.Single().Starts.Dropped)} |");
        }
    }

    private static void AppendGoals(StringBuilder text, RoundComparison comparison, OverheadSettings settings, bool throughputMet, bool latencyMet) => text
        .AppendLine()
        .AppendLine("| goal | measured (per round, side by side) | met |")
        .AppendLine("|---|---|---|")
        .AppendLine(CultureInfo.InvariantCulture, $"| gateway keeps ≥ {ThroughputGoal:P0} of bare YARP's saturated throughput | {Spread(comparison.ThroughputRatios.Select(r => r * 100), "0")} % | {(throughputMet ? "yes" : "**no**")} |")
        .AppendLine(CultureInfo.InvariantCulture, $"| at {settings.Rate:0} req/s the gateway adds ≤ {AddedP99GoalMs} ms at p99 over bare YARP | {Spread(comparison.AddedP99, "+0.00;-0.00")} ms | {(latencyMet ? "yes" : "**no**")} |")
        .AppendLine(CultureInfo.InvariantCulture, $"| (for reading the first: bare YARP's CPU per request ÷ the gateway's, Redis included) | {Spread(comparison.CpuRatios.Select(r => r * 100), "0")} % | |")
        .AppendLine();

    private static void AppendRounds(StringBuilder text, IReadOnlyList<int> rounds, RoundComparison comparison)
    {
        text.AppendLine("| round | bare YARP req/s | gateway req/s | ratio | bare YARP µs/req | gateway µs/req (+ Redis) | bare YARP p99 | gateway p99 |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var round in rounds)
        {
            var (bare, gateway) = (comparison.Saturated("bare-yarp", round), comparison.Saturated("gateway", round));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {round} | {bare.Wrk.RequestsPerSecond:0} | {gateway.Wrk.RequestsPerSecond:0} | {comparison.ThroughputRatios[round - 1]:P0} | {bare.CpuMicrosPerRequest:0} | {gateway.CpuMicrosPerRequest:0} (+ {gateway.RedisCpuMicrosPerRequest:0}) " +
                $"| {comparison.Open("bare-yarp", round).Total.Latency.At(99):0.00} ms | {comparison.Open("gateway", round).Total.Latency.At(99):0.00} ms |");
        }
    }

    private static void AppendNotes(StringBuilder text, AuditCount audit, OverheadSettings settings, IReadOnlyList<OpenRun> open)
    {
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Audit: the dashboard received {audit.Received:N0} log records over OTLP for ≈ {audit.Requests:N0} partner requests through the gateway ({(double)audit.Received / Math.Max(1, audit.Requests):P1}; wrk's requests still in flight when it stops are answered and audited but not counted, so a little over 100 % is expected).")
            .AppendLine()
            .AppendLine("Open-model latency is measured from each request's intended start (coordinated omission corrected); service time from the actual send. CPU per request is the process's user + system time over the wrk run divided by the requests wrk completed. The runner's full reports (HTML, Markdown, CSV) of the last round are in the sub-folders.");
        if (settings.GatewayEnvironment.Count > 0)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Gateway settings for this run: {string.Join(", ", settings.GatewayEnvironment.Select(e => $"`{e.Key}={e.Value}`"))}.");
        }

        foreach (var warning in open.SelectMany(o => o.Result.Warnings.Select(w => $"round {o.Round}, {o.Path.Name}: {w}")))
        {
            text.AppendLine().Append("> warning: ").AppendLine(warning);
        }
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Spread(IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Median(list).ToString(format, CultureInfo.InvariantCulture)} [{list.Min().ToString(format, CultureInfo.InvariantCulture)} – {list.Max().ToString(format, CultureInfo.InvariantCulture)}]");
    }
}
