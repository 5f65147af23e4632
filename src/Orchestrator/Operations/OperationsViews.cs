namespace LogisticsSync.Orchestrator.Operations;

/// <summary>How many shipments are in a state now, and how long they have been in it (seconds): the dwell distribution.</summary>
public sealed record StateDwell(string State, long Shipments, double? DwellP50Seconds, double? DwellP90Seconds, double? DwellMaxSeconds);

/// <summary>
/// A shipment still in flight, with how long it has been in its state. <see cref="DwellLimitBreached"/>: its dwell
/// timer for that state fired (a ShipmentStuck exception opened); such shipments are listed first.
/// </summary>
public sealed record InFlightShipment(
    Guid Id, string BusinessKey, string State, string StateOwner, string CorrelationId, DateTimeOffset InStateSince, double AgeSeconds,
    bool DwellLimitBreached, int OpenExceptions);

/// <summary>One owning team's open exceptions: how many, how many past their SLA, and the earliest SLA due.</summary>
public sealed record ExceptionOwnerQueue(string OwnerTeam, long Open, long Breached, DateTimeOffset? NextDueAt);

/// <summary>Business throughput in one minute: shipments released, and shipments that reached each milestone state.</summary>
public sealed record ThroughputMinute(DateTimeOffset Minute, long Released, long Packed, long Booked, long Delivered, long Invoiced);

public sealed record ThroughputReport(DateTimeOffset Since, int Minutes, IReadOnlyList<ThroughputMinute> PerMinute);
