using System.ComponentModel.DataAnnotations;
using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Wms;

/// <summary>Options of the section <c>Simulator:Wms</c>. Durations are simulated time (divided by Simulator:TimeScale).</summary>
public sealed class WmsOptions
{
    public const string SectionName = "Simulator:Wms";

    /// <summary>The WMS's own durable queue, bound to the orchestrator's events exchange for released shipments.</summary>
    [Required(ErrorMessage = "Simulator:Wms:Queue must not be empty.")]
    public string Queue { get; set; } = "wms.released";

    /// <summary>Orders the warehouse works on at once (unacknowledged released events).</summary>
    [Range(1, 5000, ErrorMessage = "Simulator:Wms:OrdersInProgress must be between 1 and 5000.")]
    public ushort OrdersInProgress { get; set; } = 256;

    public DurationRange Allocation { get; set; } = new(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10));

    public DurationRange Picking { get; set; } = new(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(45));

    public DurationRange Packing { get; set; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20));

    /// <summary>
    /// How long after the pack confirmation a reordered order's pick confirmation follows
    /// (Simulator:Faults:ReorderRate). Long enough that the orchestrator sees them in that order; two
    /// messages a millisecond apart may be applied either way round.
    /// </summary>
    public TimeSpan ReorderedConfirmationDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How much later a late pick confirmation comes (Simulator:Faults:LateConfirmationRate).</summary>
    public DurationRange LateConfirmation { get; set; } = new(TimeSpan.FromHours(1), TimeSpan.FromHours(4));
}
