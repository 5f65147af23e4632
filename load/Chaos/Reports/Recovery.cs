using LogisticsSync.Load.Chaos.Faults;
using LogisticsSync.Load.Chaos.Monitoring;

namespace LogisticsSync.Load.Chaos.Reports;

/// <summary>
/// How the estate took one fault, from the samples: time to detect (the first health turn after the fault began:
/// some replica not Healthy), time to recover (every replica Healthy again, counted from the fault's end) and time
/// to drain (the backlog — outbox unsent, queued messages, partner calls due — back to its level just before the fault).
/// </summary>
public sealed record Recovery(double? Detect, string? DetectedBy, double? Recover, double? Drain)
{
    /// <summary>How long after a fault's end a health turn still counts as its detection.</summary>
    public const double DetectionGrace = 30;

    public static Recovery Of(FaultRecord fault, IReadOnlyList<Sample> samples)
    {
        var after = samples.Where(s => s.Second >= fault.Started).ToList();
        var turned = after.FirstOrDefault(s => s.Second <= fault.Ended + DetectionGrace && s.States.Count > 0 && !s.AllHealthy);
        var healthyAgain = after.FirstOrDefault(s => s.Second >= fault.Ended && s.Second >= (turned?.Second ?? 0) && s.AllHealthy);
        var baseline = samples.LastOrDefault(s => s.Second < fault.Started && s.Backlog is not null)?.Backlog ?? 0;
        var drained = after.FirstOrDefault(s => s.Second >= fault.Ended && s.Backlog is { } backlog && backlog <= baseline);
        return new Recovery(
            turned is null ? null : turned.Second - fault.Started,
            turned is null ? null : string.Join(", ", turned.States.Where(s => s.Value != "Healthy").Select(s => $"{s.Key} {s.Value}")),
            healthyAgain is null ? null : Math.Max(0, healthyAgain.Second - fault.Ended),
            drained is null ? null : Math.Max(0, drained.Second - fault.Ended));
    }
}
