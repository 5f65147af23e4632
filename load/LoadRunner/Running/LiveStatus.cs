using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.LoadRunner.Running;

/// <summary>The live view of a running test.</summary>
public sealed record LiveStatus(TimeSpan Elapsed, TimeSpan? PlannedDuration, bool WarmingUp, IReadOnlyList<LiveScenario> Scenarios, IReadOnlyList<ThresholdOutcome> Thresholds);
