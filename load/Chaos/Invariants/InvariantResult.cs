namespace LogisticsSync.Load.Chaos.Invariants;

/// <summary>One invariant's verdict: what it says, whether it holds, the figure behind it and up to a few offenders.</summary>
public sealed record InvariantResult(string Name, bool Holds, string Figure, IReadOnlyList<string> Offenders);
