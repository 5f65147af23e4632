using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Scenarios;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>One fault made real: started at its time, ended when its window closes (a moment's end does nothing).</summary>
internal interface IFaultAction
{
    Task StartAsync(CancellationToken cancellationToken);

    Task EndAsync(CancellationToken cancellationToken);

    /// <summary>What the fault measured of itself (e.g. the CPU share the victim kept), for the report.</summary>
    string? Measured { get; }
}

internal static class FaultActions
{
    public static IFaultAction For(FaultStep step, ChaosEstate estate, PartnerProfiles partners) => step.Kind switch
    {
        FaultKind.Kill or FaultKind.Stop or FaultKind.Restart => new ProcessFault(estate.Control, step),
        FaultKind.RedisFlushAll => new RedisFlushAll(estate.Redis),
        FaultKind.Partner => new PartnerFault(partners, step.Target, step.Index, step.Settings.Partner),
        FaultKind.ClockSkew => new PartnerFault(partners, step.Target, step.Index, PartnerFault.Knob("clockSkewSeconds", step.Settings.SkewSeconds)),
        FaultKind.CpuStarvation => new CpuStarvation(estate.Control, step),
        _ => new NetworkFault(estate.Control, step),
    };
}
