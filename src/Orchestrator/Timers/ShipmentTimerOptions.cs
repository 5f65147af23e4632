using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Timers;

/// <summary>
/// Section <c>Timers</c>: how long a shipment may stay in a state before it counts as stuck (business time), how an
/// estate that compresses time scales those limits, and how the worker that fires them polls.
/// </summary>
internal sealed class ShipmentTimerOptions
{
    public const string SectionName = "Timers";

    /// <summary>
    /// Dwell limit per state, in business time: past it without a state change, a <c>ShipmentStuck</c> exception opens
    /// for the team that owns the way out. No limit for InTransit and OutForDelivery's journey as a whole: the
    /// promise covers them (DeliveryLate); the limits there catch a carrier that stopped reporting altogether.
    /// BookingDeferred has none (it opens its own exception), nor do Invoiced (closed once nothing is open on it)
    /// and the terminal states.
    /// </summary>
    public Dictionary<string, TimeSpan> DwellLimits { get; } = new(StringComparer.Ordinal)
    {
        [nameof(ShipmentState.Released)] = TimeSpan.FromHours(4),
        [nameof(ShipmentState.Allocated)] = TimeSpan.FromHours(4),
        [nameof(ShipmentState.Picked)] = TimeSpan.FromHours(4),
        [nameof(ShipmentState.ShortShipped)] = TimeSpan.FromHours(4),
        [nameof(ShipmentState.Packed)] = TimeSpan.FromHours(2),
        [nameof(ShipmentState.TenderRejected)] = TimeSpan.FromHours(2),
        [nameof(ShipmentState.Tendered)] = TimeSpan.FromHours(2),
        [nameof(ShipmentState.Booked)] = TimeSpan.FromDays(1),
        [nameof(ShipmentState.InTransit)] = TimeSpan.FromDays(10),
        [nameof(ShipmentState.Delayed)] = TimeSpan.FromDays(5),
        [nameof(ShipmentState.OutForDelivery)] = TimeSpan.FromDays(1),
        [nameof(ShipmentState.DeliveryFailed)] = TimeSpan.FromDays(2),
        [nameof(ShipmentState.Delivered)] = TimeSpan.FromDays(1),
    };

    /// <summary>
    /// Business seconds per real second, as the simulators' <c>Simulator:TimeScale</c>: an estate that compresses a
    /// two-day transit into seconds compresses the limits alike. 1 in production.
    /// </summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>
    /// The shortest real limit a scaled one becomes. The orchestrator's own retries, a broker's recovery and the
    /// outbox run in real time, uncompressed: a limit shorter than they take would call a recovering shipment stuck.
    /// </summary>
    public TimeSpan MinimumRealLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a replica looks for due timers when none were due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timers one replica fires in one transaction.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>The worker's health is Unhealthy when it has not completed a poll for this long (database gone).</summary>
    public TimeSpan StallThreshold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The real time a shipment may stay in <paramref name="state"/>; null when the state has no limit.</summary>
    public TimeSpan? RealDwellLimit(ShipmentState state)
    {
        if (!DwellLimits.TryGetValue(state.ToString(), out var limit) || limit <= TimeSpan.Zero)
        {
            return null;
        }

        var scaled = TimeScale > 1 ? limit / TimeScale : limit;
        return scaled < MinimumRealLimit && limit >= MinimumRealLimit ? MinimumRealLimit : scaled;
    }
}
