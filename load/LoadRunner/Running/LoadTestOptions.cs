using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Thresholds;

namespace LogisticsSync.LoadRunner.Running;

public sealed class LoadTestOptions
{
    public string Title { get; init; } = "Load test";

    /// <summary>Each scenario first runs this long at its first stage's level; nothing of it is recorded.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.Zero;

    /// <summary>Percentiles in the report and the live view (thresholds add their own).</summary>
    public IReadOnlyList<double> Percentiles { get; init; } = [50, 75, 90, 95, 99, 99.9];

    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>A start made later than this after its due time counts as late.</summary>
    public TimeSpan StartTolerance { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A start that cannot be made within this after its due time is dropped (counted, never sent).</summary>
    public TimeSpan MaxStartDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long iterations still in flight after the last stage may take before they are cancelled.</summary>
    public TimeSpan GracefulStop { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called on every live check (console progress).</summary>
    public Action<LiveStatus>? OnLive { get; set; }

    /// <summary>Null: the monotonic clock. Tests pass a clock that moves only when told.</summary>
    public ILoadClock? Clock { get; init; }

    /// <summary>Tables the caller adds to the report (baselines, cross-checks).</summary>
    public IList<ReportSection> Sections { get; } = [];
}
