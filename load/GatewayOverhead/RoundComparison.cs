namespace LogisticsSync.Load.GatewayOverhead;

/// <summary>
/// The gateway against bare YARP round by round: ratios are taken within a round (side by side), then summarised —
/// never median over median.
/// </summary>
internal sealed class RoundComparison
{
    private readonly IReadOnlyList<SaturatedRun> _saturated;
    private readonly IReadOnlyList<OpenRun> _open;

    private RoundComparison(IReadOnlyList<int> rounds, IReadOnlyList<SaturatedRun> saturated, IReadOnlyList<OpenRun> open)
    {
        _saturated = saturated;
        _open = open;
        ThroughputRatios = rounds.Select(r => Saturated("gateway", r).Wrk.RequestsPerSecond / Saturated("bare-yarp", r).Wrk.RequestsPerSecond).ToList();
        CpuRatios = rounds.Select(r => Saturated("bare-yarp", r).CpuMicrosPerRequest
            / (Saturated("gateway", r).CpuMicrosPerRequest + Saturated("gateway", r).RedisCpuMicrosPerRequest)).ToList();
        AddedP99 = rounds.Select(r => Open("gateway", r).Total.Latency.At(99) - Open("bare-yarp", r).Total.Latency.At(99)).ToList();
    }

    /// <summary>The gateway's saturated throughput over bare YARP's, per round.</summary>
    public IReadOnlyList<double> ThroughputRatios { get; }

    /// <summary>Bare YARP's CPU per request over the gateway's (Redis included), per round.</summary>
    public IReadOnlyList<double> CpuRatios { get; }

    /// <summary>What the gateway adds to bare YARP's open-model p99 (ms), per round.</summary>
    public IReadOnlyList<double> AddedP99 { get; }

    public static RoundComparison Of(IReadOnlyList<int> rounds, IReadOnlyList<SaturatedRun> saturated, IReadOnlyList<OpenRun> open) => new(rounds, saturated, open);

    public SaturatedRun Saturated(string slug, int round) => _saturated.Single(r => r.Path.Slug == slug && r.Round == round);

    public OpenRun Open(string slug, int round) => _open.Single(r => r.Path.Slug == slug && r.Round == round);
}
