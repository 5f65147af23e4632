namespace LogisticsSync.Load.Chaos.Scenarios;

/// <summary>The settings a fault kind takes; each kind reads only its own (the schema says which).</summary>
public sealed record FaultSettings
{
    /// <summary>partner: the simulator's fault knobs during the window (laid over its current profile).</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> Partner { get; init; } = new Dictionary<string, System.Text.Json.JsonElement>();

    /// <summary>cpu-starvation: busy processes pinned to the victim's core.</summary>
    public int Hogs { get; init; } = 2;

    /// <summary>clock-skew: how far the carrier's clock is off (positive: ahead).</summary>
    public int SkewSeconds { get; init; } = 900;

    public int LatencyMs { get; init; }

    public int JitterMs { get; init; }

    public int BytesPerSecond { get; init; }
}
