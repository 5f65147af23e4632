namespace LogisticsSync.Load.Chaos.Scenarios;

/// <summary>The faults a scenario can script (docs/chaos.md says what each does).</summary>
public enum FaultKind
{
    Kill,
    Stop,
    Restart,
    RedisFlushAll,
    Partner,
    CpuStarvation,
    ClockSkew,
    NetLatency,
    NetBandwidth,
    NetBlackhole,
    NetReset,
    NetRefuse,
}

public static class FaultKinds
{
    private static readonly Dictionary<string, FaultKind> ByName = new(StringComparer.Ordinal)
    {
        ["kill"] = FaultKind.Kill,
        ["stop"] = FaultKind.Stop,
        ["restart"] = FaultKind.Restart,
        ["redis-flushall"] = FaultKind.RedisFlushAll,
        ["partner"] = FaultKind.Partner,
        ["cpu-starvation"] = FaultKind.CpuStarvation,
        ["clock-skew"] = FaultKind.ClockSkew,
        ["net-latency"] = FaultKind.NetLatency,
        ["net-bandwidth"] = FaultKind.NetBandwidth,
        ["net-blackhole"] = FaultKind.NetBlackhole,
        ["net-reset"] = FaultKind.NetReset,
        ["net-refuse"] = FaultKind.NetRefuse,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string name, out FaultKind kind) => ByName.TryGetValue(name, out kind);

    public static string Name(FaultKind kind) => ByName.First(pair => pair.Value == kind).Key;

    /// <summary>Network faults act on a reference, "service->referenced", through the engine's fault proxy.</summary>
    public static bool IsNetwork(FaultKind kind) => kind is FaultKind.NetLatency or FaultKind.NetBandwidth or FaultKind.NetBlackhole or FaultKind.NetReset or FaultKind.NetRefuse;

    /// <summary>A window that must say how long it lasts; the others are moments.</summary>
    public static bool NeedsDuration(FaultKind kind) => kind is not (FaultKind.Kill or FaultKind.Restart or FaultKind.RedisFlushAll);
}
