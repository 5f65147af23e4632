namespace LogisticsSync.LoadRunner.Measurement;

/// <summary>Everything a report shows, as plain data: the report writers are pure functions of it.</summary>
public sealed record LoadTestResult(
    string Title,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    TimeSpan WarmUp,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<ThresholdOutcome> Thresholds,
    IReadOnlyList<string> Warnings,
    MachineInfo Machine,
    IReadOnlyList<double> Percentiles,
    IReadOnlyList<ReportSection> Sections,
    string? AbortReason)
{
    public bool Passed => AbortReason is null && Thresholds.All(t => t.Passed) && Verdicts.All(v => v.Passed);

    /// <summary>Charts a caller adds (a chaos run's timeline with its fault windows), drawn first in the HTML report.</summary>
    public IReadOnlyList<ReportChart> Charts { get; init; } = [];

    /// <summary>Pass/fail checks a caller adds beside the thresholds (a chaos run's invariants): one failing fails the run.</summary>
    public IReadOnlyList<ReportVerdict> Verdicts { get; init; } = [];
}

/// <summary>A line chart over the run's seconds, with shaded windows (e.g. when each fault was active).</summary>
public sealed record ReportChart(string Title, string YLabel, IReadOnlyList<ChartSeries> Series, IReadOnlyList<ChartBand> Bands);

public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A shaded stretch of the x axis with its label.</summary>
public sealed record ChartBand(string Label, double From, double To);

/// <summary>A named pass/fail check of the run; <paramref name="Detail"/> says what was found, for a failure message that stands alone.</summary>
public sealed record ReportVerdict(string Name, bool Passed, string? Detail = null);

public sealed record ScenarioResult(
    string Name,
    string Model,
    IReadOnlyList<string> Stages,
    int MaxConcurrency,
    long PlannedStarts,
    RequestSummary Total,
    IReadOnlyList<RequestSummary> Steps,
    StartSummary Starts,
    IReadOnlyList<TimelinePoint> Timeline,
    IReadOnlyList<DistributionPoint> LatencyDistribution,
    IReadOnlyList<DistributionPoint> ServiceTimeDistribution);

/// <summary>
/// How well the generator kept its schedule. <see cref="Dropped"/>: due starts never made (k6's dropped_iterations);
/// <see cref="Late"/>: made later than the tolerance; <see cref="LateWithoutWaiting"/>: of those, the ones that had a
/// free slot, so the generator itself was behind; <see cref="WaitedForSlot"/>: the concurrency cap was reached.
/// </summary>
public sealed record StartSummary(long Started, long Dropped, long Late, long LateWithoutWaiting, long WaitedForSlot, TimeSpan Tolerance, LatencySummary Delay)
{
    /// <summary>More than 1 % of starts late with a slot free: the numbers describe the generator, not only the system.</summary>
    public bool GeneratorSaturated => Started > 0 && LateWithoutWaiting > Started / 100;
}

public sealed record RequestSummary(
    string Name,
    long Ok,
    long Fail,
    double RequestsPerSecond,
    LatencySummary Latency,
    LatencySummary ServiceTime,
    IReadOnlyDictionary<string, long> StatusCodes,
    long BytesSent,
    long BytesReceived)
{
    public long Count => Ok + Fail;

    public double FailRate => Count == 0 ? 0 : (double)Fail / Count;

    public double StatusShare(string pattern) =>
        Count == 0 ? 0 : (double)StatusCodes.Where(s => StatusPattern.Matches(pattern, s.Key)).Sum(s => s.Value) / Count;
}

public sealed record LatencySummary(double MeanMs, double MinMs, double MaxMs, double StdDevMs, IReadOnlyList<PercentileValue> Percentiles)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, []);

    public double At(double percentile) => Percentiles.FirstOrDefault(p => Math.Abs(p.Percentile - percentile) < 1e-9)?.Milliseconds
        ?? throw new KeyNotFoundException($"p{percentile} was not computed");
}

public sealed record PercentileValue(double Percentile, double Milliseconds);

/// <summary>One second of the run, by completion time.</summary>
public sealed record TimelinePoint(int Second, long Ok, long Fail, long Dropped, long BytesSent, long BytesReceived, IReadOnlyList<PercentileValue> Latency);

public sealed record DistributionPoint(double Percentile, double Milliseconds);

public sealed record ThresholdOutcome(string Threshold, string Scenario, bool Passed, string Actual, bool AbortedRun);

/// <summary>A table a caller adds to the report (baselines, cross-checks, server-side figures).</summary>
public sealed record ReportSection(string Title, string? Note, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>Status codes match exactly or by class: <c>2xx</c>, <c>5xx</c>.</summary>
public static class StatusPattern
{
    public static bool Matches(string pattern, string status) =>
        pattern.Length == 3 && pattern.EndsWith("xx", StringComparison.OrdinalIgnoreCase) && status.Length == 3
            ? status[0] == pattern[0]
            : string.Equals(pattern, status, StringComparison.OrdinalIgnoreCase);
}
