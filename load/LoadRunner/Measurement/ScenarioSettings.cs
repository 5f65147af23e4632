namespace LogisticsSync.LoadRunner.Measurement;

/// <summary>How a scenario is driven, as the report shows it.</summary>
internal sealed record ScenarioSettings(string Model, IReadOnlyList<string> Stages, int MaxConcurrency, long PlannedStarts);
