namespace LogisticsSync.Load.Chaos.Scenarios;

/// <summary>A scenario file that cannot be run, with every problem found in it (not only the first).</summary>
public sealed class ScenarioFileException(string path, IReadOnlyList<string> problems)
    : Exception($"{path}: {problems.Count} problem(s):{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
