using System.Globalization;
using LogisticsSync.Load.Chaos.Faults;
using LogisticsSync.Load.Chaos.Invariants;
using LogisticsSync.Load.Chaos.Monitoring;
using LogisticsSync.Load.Chaos.Scenarios;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.Load.Chaos.Reports;

/// <summary>What a chaos run found, for the load runner's report writer (same HTML, Markdown, text and CSV as the load reports).</summary>
public sealed record ChaosOutcome(
    ChaosScenario Scenario,
    string Target,
    IReadOnlyList<FaultRecord> Faults,
    IReadOnlyList<Sample> Samples,
    IReadOnlyList<InvariantResult> Invariants,
    IReadOnlyList<ReportSection> Counts,
    double SettledAfter,
    bool SettleTimedOut);

/// <summary>Lays a chaos run onto a <see cref="LoadTestResult"/>: the load runner's own figures (reads, webhooks) plus the run's tables and charts.</summary>
public static class ChaosReport
{
    public static LoadTestResult Build(ChaosOutcome outcome, LoadTestResult load)
    {
        var bands = outcome.Faults.Select(f => new ChartBand($"{f.Step.Index + 1} {f.Step.Label}", f.Started, Math.Max(f.Ended, f.Started + 0.5))).ToList();
        var recoveries = outcome.Faults.Select(f => (Fault: f, Recovery: Recovery.Of(f, outcome.Samples))).ToList();
        List<ReportSection> sections =
        [
            ScenarioSection(outcome),
            InvariantSection(outcome.Invariants),
            FaultSection(recoveries),
            .. outcome.Counts,
            .. load.Sections,
        ];
        return load with
        {
            Title = $"LogisticsSync chaos: {outcome.Scenario.Name} — {load.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
            Sections = sections,
            Charts = Charts(outcome, load, bands),
            Verdicts =
            [
                .. outcome.Invariants.Select(i => new ReportVerdict(i.Name, i.Holds, i.Offenders.Count == 0 ? i.Figure : $"{i.Figure}: {string.Join("; ", i.Offenders)}")),
                .. outcome.Faults.Select(f => new ReportVerdict($"fault {f.Step.Label} could be made", f.Error is null, f.Error)),
            ],
        };
    }

    /// <summary>A result for a run without read or webhook load (nothing for the load runner to measure).</summary>
    public static LoadTestResult Empty(DateTimeOffset startedAt, TimeSpan duration) =>
        new("", startedAt, duration, TimeSpan.Zero, [], [], [], MachineInfo.Current(), [50, 99], [], null);

    private static ReportSection ScenarioSection(ChaosOutcome outcome) => new("Chaos run", outcome.Scenario.Description, ["property", "value"],
    [
        ["scenario", outcome.Scenario.Name],
        ["target", outcome.Target],
        ["ERP orders / rate", $"{outcome.Scenario.Traffic.Erp.Orders} at {outcome.Scenario.Traffic.Erp.OrdersPerSecond.ToString("0.##", CultureInfo.InvariantCulture)}/s"],
        ["faults scripted / made", $"{outcome.Faults.Count} ({outcome.Faults.Select(f => f.Step.Kind).Distinct().Count()} kinds) / {outcome.Faults.Count(f => f.Error is null)}"],
        ["timeline", $"{outcome.Scenario.TimelineLength.TotalSeconds:0} s"],
        ["settled", outcome.SettleTimedOut ? $"NO: not within {outcome.Scenario.Settle.Timeout.TotalSeconds:0} s" : $"{outcome.SettledAfter:0} s after the timeline"],
        ["invariants", outcome.Invariants.All(i => i.Holds) ? "all hold" : $"FAILED: {outcome.Invariants.Count(i => !i.Holds)} of {outcome.Invariants.Count} broken"],
    ]);

    private static ReportSection InvariantSection(IReadOnlyList<InvariantResult> invariants) => new("Invariants",
        "Checked after the estate settled, against the systems of record: the orchestrator's PostgreSQL, the ERP simulator's ledger and journal (every document seen during the run), RabbitMQ's queues.",
        ["invariant", "result", "figure", "offenders (first 20)"],
        [.. invariants.Select(i => (IReadOnlyList<string>)[i.Name, i.Holds ? "holds" : "FAILED", i.Figure, string.Join("; ", i.Offenders)])]);

    private static ReportSection FaultSection(List<(FaultRecord Fault, Recovery Recovery)> recoveries) => new("Faults and recovery",
        "Seconds from the run's start. Detect: from the fault's start to the first health turn (a replica not Healthy) within its window + 30 s, and what turned. " +
        "Recover: from the fault's end until every replica is Healthy. Drain: from the fault's end until the backlog (outbox unsent + queued messages + partner calls due) " +
        "is back to its level just before the fault. Target: healthy within 15 s, drained within 60 s.",
        ["#", "fault", "window", "detect", "turned", "recover", "drain", "note"],
        [.. recoveries.Select(r => (IReadOnlyList<string>)
        [
            (r.Fault.Step.Index + 1).ToString(CultureInfo.InvariantCulture), r.Fault.Step.Label, $"{r.Fault.Started:0.0}–{r.Fault.Ended:0.0}",
            Seconds(r.Recovery.Detect, "not detected"), r.Recovery.DetectedBy ?? "—", Seconds(r.Recovery.Recover, "NO"), Seconds(r.Recovery.Drain, "NO"),
            r.Fault.Error is { } error ? $"FAILED: {error}" : r.Fault.Measured ?? "",
        ])]);

    private static List<ReportChart> Charts(ChaosOutcome outcome, LoadTestResult load, List<ChartBand> bands)
    {
        var samples = outcome.Samples;
        List<ChartSeries> throughput =
        [
            new("shipments created/s", Rate(samples, s => s.Shipments)),
            new("shipments settled/s", Rate(samples, s => s.Settled)),
            .. load.Scenarios.Select(s => new ChartSeries($"{s.Name} req/s", [.. s.Timeline.Select(p => ((double)p.Second, (double)(p.Ok + p.Fail)))])),
        ];
        var p99 = load.Percentiles.ToList().IndexOf(99);
        return
        [
            new ReportChart("Throughput, with the fault windows", "per second", throughput, bands),
            new ReportChart("p99 latency of the runner's requests", "ms",
                [.. load.Scenarios.Where(_ => p99 >= 0).Select(s => new ChartSeries(s.Name, [.. s.Timeline.Where(p => p.Ok + p.Fail > 0).Select(p => ((double)p.Second, p.Latency[p99].Milliseconds))]))], bands),
            new ReportChart("Backlog", "items",
            [
                new("outbox unsent", Points(samples, s => s.OutboxUnsent)),
                new("queued messages", Points(samples, s => s.QueueDepth)),
                new("partner calls due", Points(samples, s => s.TasksDue)),
            ], bands),
            new ReportChart("Replicas not Healthy", "replicas", [new("not Healthy", [.. samples.Where(s => s.States.Count > 0).Select(s => (s.Second, (double)s.States.Count(x => x.Value != "Healthy")))])], bands),
        ];
    }

    private static List<(double, double)> Points(IReadOnlyList<Sample> samples, Func<Sample, long?> figure) =>
        [.. samples.Where(s => figure(s) is not null).Select(s => (s.Second, (double)figure(s)!.Value))];

    private static List<(double, double)> Rate(IReadOnlyList<Sample> samples, Func<Sample, long?> figure)
    {
        var known = samples.Where(s => figure(s) is not null).ToList();
        return [.. known.Zip(known.Skip(1), (a, b) => (b.Second, Math.Max(0, figure(b)!.Value - figure(a)!.Value) / Math.Max(0.5, b.Second - a.Second)))];
    }

    private static string Seconds(double? value, string none) => value is { } v ? $"{v:0.0} s" : none;
}
