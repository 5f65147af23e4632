using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;

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
