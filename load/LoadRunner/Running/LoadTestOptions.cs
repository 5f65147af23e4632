using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.LoadRunner.Thresholds;

namespace LogisticsSync.LoadRunner.Running;

/// <summary>A scenario and the load it gets in this run.</summary>
/// <param name="MaxConcurrency">
/// Open model: at most this many iterations in flight (k6's maxVUs). A due start that finds none free waits for one
/// (its latency still counts from its due time) and is dropped if it cannot start within
/// <see cref="LoadTestOptions.MaxStartDelay"/>. Closed model: ignored (the stages say how many copies).
/// </param>
public sealed record ScenarioRun(Scenario Scenario, IReadOnlyList<LoadSimulation> Load, int MaxConcurrency = 256, int Seed = 1)
{
    public LoadModel Model => Load.Select(s => s.Model).OfType<LoadModel>().FirstOrDefault(LoadModel.Open);
}

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

/// <summary>The live view of a running test.</summary>
public sealed record LiveStatus(TimeSpan Elapsed, TimeSpan? PlannedDuration, bool WarmingUp, IReadOnlyList<LiveScenario> Scenarios, IReadOnlyList<ThresholdOutcome> Thresholds);

public sealed record LiveScenario(string Name, long Ok, long Fail, double LastSecondRate, double P50Ms, double P99Ms, long Dropped, long InFlight);
