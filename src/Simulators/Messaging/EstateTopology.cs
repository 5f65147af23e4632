namespace LogisticsSync.Simulators.Messaging;

/// <summary>
/// The orchestrator's published broker contract (README, "Events and topology"), as a partner sees it.
/// Partners do not reference the orchestrator's assembly, as real ones could not; they declare only their
/// own queues and wait for the orchestrator's exchanges to exist rather than declaring them.
/// </summary>
internal static class EstateTopology
{
    /// <summary>Canonical events the orchestrator publishes, routed by CloudEvents type.</summary>
    public const string EventsExchange = "logistics.events";

    /// <summary>Milestones partners report, routed by <c>{system}.{milestone}</c>.</summary>
    public const string MilestonesExchange = "logistics.milestones";

    public const string CloudEventsContentType = "application/cloudevents+json";

    public static string EventType(string milestone) => $"logistics.shipment.{milestone}.v1";
}

/// <summary>Milestone names on the wire (docs/lifecycle.md, event catalogue) that the simulated systems report.</summary>
internal static class Milestones
{
    public const string Released = "released";
    public const string Allocated = "allocated";
    public const string Picked = "picked";
    public const string ShortPicked = "short-picked";
    public const string Packed = "packed";
}
