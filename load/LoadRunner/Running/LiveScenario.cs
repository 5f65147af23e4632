namespace LogisticsSync.LoadRunner.Running;

/// <summary>One scenario in the live view: counts so far, the last second's rate and latencies.</summary>
public sealed record LiveScenario(string Name, long Ok, long Fail, double LastSecondRate, double P50Ms, double P99Ms, long Dropped, long InFlight);
