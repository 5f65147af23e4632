namespace LogisticsSync.Load.Chaos.Scenarios;

/// <summary>A chaos run as its scenario file describes it (scenarios/scenario.schema.json): traffic, then faults on a timeline.</summary>
public sealed record ChaosScenario(string Name, string? Description, Traffic Traffic, EstateShape Estate, Settle Settle, IReadOnlyList<FaultStep> Faults)
{
    /// <summary>When the timeline ends: the last fault window closes, or the ERP has had time to release every order.</summary>
    public TimeSpan TimelineLength => Faults.Select(f => f.At + f.Duration).Append(Traffic.Erp.ReleaseTime).Append(Traffic.Duration ?? TimeSpan.Zero).Max();
}

/// <summary>What flows while the faults happen.</summary>
/// <param name="Duration">How long reads and webhooks run; unset: the whole timeline.</param>
public sealed record Traffic(ErpTraffic Erp, double ReadsPerSecond, WebhookTraffic? Webhooks, TimeSpan? Duration);

/// <summary>The ERP simulator's releases: its seeded orders through the gateway, as a real client.</summary>
public sealed record ErpTraffic(int Orders, double OrdersPerSecond)
{
    public TimeSpan ReleaseTime => TimeSpan.FromSeconds(Orders / OrdersPerSecond);
}

/// <summary>A carrier's webhook storm driven by the load runner (the carriers' own storms are a partner fault: stormRate).</summary>
public sealed record WebhookTraffic(double PerSecond, string Carrier, double DuplicateShare);

/// <summary>The estate the runner boots (<c>--boot</c>); a running estate is what it is.</summary>
public sealed record EstateShape(int Replicas, int Seed, double TimeScale);

/// <summary>After the timeline: wait up to <see cref="Timeout"/> for every order to settle and stay so for <see cref="Quiet"/>.</summary>
public sealed record Settle(TimeSpan Timeout, TimeSpan Quiet);

/// <summary>One fault: what, against which resource (replica), when, for how long, with the kind's own settings.</summary>
public sealed record FaultStep(int Index, TimeSpan At, FaultKind Kind, string Target, int? Replica, TimeSpan Duration, FaultSettings Settings)
{
    public string Label => $"{FaultKinds.Name(Kind)} {Target}{(Replica is { } r ? $"#{r}" : "")}";

    /// <summary>Whether the fault is a moment (a kill, a flush) rather than a window that ends.</summary>
    public bool Instant => Kind is FaultKind.Kill or FaultKind.Restart or FaultKind.RedisFlushAll;
}
