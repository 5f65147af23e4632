using System.Globalization;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.LoadRunner.Reports;

/// <summary>
/// The report's tables, built once from the result; the HTML, Markdown and text writers only differ in how they draw
/// them, so the three can never disagree on a figure.
/// </summary>
internal static class ReportTables
{
    public static ReportSection Run(LoadTestResult result) => new("Run", null, ["setting", "value"],
    [
        ["title", result.Title],
        ["started (UTC)", result.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)],
        ["measured", Seconds(result.Duration)],
        ["warm-up (not measured)", Seconds(result.WarmUp)],
        ["verdict", result.Passed ? "passed" : result.AbortReason is not null ? $"ABORTED: {result.AbortReason}"
            : result.Verdicts.FirstOrDefault(v => !v.Passed) is { } failed ? $"FAILED: {failed.Name}" : "FAILED: threshold breached"],
    ]);

    public static ReportSection Load(LoadTestResult result) => new("Load settings",
        "Open model: starts due at fixed times whatever the system does; closed model: copies loop back to back.",
        ["scenario", "model", "stages", "max concurrency", "planned starts", "started", "late (> tolerance)", "late with a free slot", "waited for a slot", "dropped", "start delay p50 / p99"],
        [.. result.Scenarios.Select(s => (IReadOnlyList<string>)
        [
            s.Name, s.Model, string.Join("; ", s.Stages), Count(s.MaxConcurrency), s.Model == "open" ? Count(s.PlannedStarts) : "—", Count(s.Starts.Started),
            $"{Count(s.Starts.Late)} (> {s.Starts.Tolerance.TotalMilliseconds:0} ms)", Count(s.Starts.LateWithoutWaiting), Count(s.Starts.WaitedForSlot), Count(s.Starts.Dropped),
            $"{Ms(s.Starts.Delay.At(50))} / {Ms(s.Starts.Delay.At(99))}",
        ])]);

    public static ReportSection Latency(LoadTestResult result, bool serviceTime) => new(
        serviceTime ? "Service time (from the actual send)" : "Latency (from the due start: coordinated omission corrected)",
        serviceTime
            ? "What a tool that waits for each response before sending the next reports (wrk, most benchmarks). Compare with the latency above: a gap means requests queued."
            : "Open model: each request's latency counts from when it was due, so waiting behind a slow request or a stalled generator is included. Closed model: equal to service time.",
        ["scenario", "step", "requests", "ok", "failed", "fail %", "req/s", "mean", .. result.Percentiles.Select(PercentileName), "max"],
        [.. Rows(result).Select(r => Row(r.Scenario, r.Step, r.Summary, serviceTime ? r.Summary.ServiceTime : r.Summary.Latency))]);

    public static ReportSection StatusCodes(LoadTestResult result) => new("Status codes", null, ["scenario", "step", "status", "count", "share"],
        [.. Rows(result).SelectMany(r => r.Summary.StatusCodes.Select(code => (IReadOnlyList<string>)
            [r.Scenario, r.Step, code.Key, Count(code.Value), Percent(r.Summary.Count == 0 ? 0 : (double)code.Value / r.Summary.Count)]))]);

    public static ReportSection Transfer(LoadTestResult result) => new("Data transfer", null, ["scenario", "step", "sent", "received", "sent/s", "received/s"],
        [.. Rows(result).Select(r => (IReadOnlyList<string>)
        [
            r.Scenario, r.Step, Bytes(r.Summary.BytesSent), Bytes(r.Summary.BytesReceived),
            Bytes(PerSecond(r.Summary.BytesSent, result.Duration)), Bytes(PerSecond(r.Summary.BytesReceived, result.Duration)),
        ])]);

    public static ReportSection Thresholds(LoadTestResult result) => new("Thresholds", result.Thresholds.Count == 0 ? "none set" : null,
        ["threshold", "scenario", "actual", "result"],
        [.. result.Thresholds.Select(t => (IReadOnlyList<string>)[t.Threshold, t.Scenario, t.Actual, t.Passed ? "passed" : t.AbortedRun ? "BREACHED (aborted the run)" : "BREACHED"])]);

    public static ReportSection Machine(LoadTestResult result) => new("Machine", "The load generator and the system under test share it unless said otherwise.",
        ["property", "value"], [.. result.Machine.Describe().Select(p => (IReadOnlyList<string>)[p.Name, p.Value])]);

    /// <summary>In reading order, the charts' place marked by the latency tables.</summary>
    public static IReadOnlyList<ReportSection> All(LoadTestResult result) =>
    [
        Run(result), Thresholds(result), Latency(result, serviceTime: false), Latency(result, serviceTime: true), StatusCodes(result), Transfer(result),
        Load(result), .. result.Sections, Machine(result),
    ];

    public static string PercentileName(double percentile) => "p" + percentile.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Ms(double milliseconds) => milliseconds.ToString(milliseconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double share) => share.ToString("0.###%", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Bytes(double bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (1 << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
        >= 1 << 20 => (bytes / (1 << 20)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes / (1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString("0", CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>A scenario's total, then its steps when it has more than one.</summary>
    public static IEnumerable<(string Scenario, string Step, RequestSummary Summary)> Rows(LoadTestResult result) =>
        result.Scenarios.SelectMany(s => s.Steps.Count == 1
            ? [(s.Name, s.Steps[0].Name, s.Steps[0])]
            : s.Steps.Select(step => (s.Name, step.Name, step)).Prepend((s.Name, "(all steps)", s.Total)));

    private static IReadOnlyList<string> Row(string scenario, string step, RequestSummary summary, LatencySummary latency) =>
    [
        scenario, step == scenario ? "" : step, Count(summary.Count), Count(summary.Ok), Count(summary.Fail), Percent(summary.FailRate),
        summary.RequestsPerSecond.ToString("0.0", CultureInfo.InvariantCulture), Ms(latency.MeanMs), .. latency.Percentiles.Select(p => Ms(p.Milliseconds)), Ms(latency.MaxMs),
    ];

    private static double PerSecond(long value, TimeSpan duration) => duration <= TimeSpan.Zero ? 0 : value / duration.TotalSeconds;
}
