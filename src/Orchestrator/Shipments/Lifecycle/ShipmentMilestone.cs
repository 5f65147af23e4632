using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>The business events that move a shipment through its lifecycle.</summary>
public enum ShipmentMilestone
{
    Released,
    Allocated,
    Picked,
    ShortPicked,
    Packed,
    Tendered,
    TenderRejected,
    BookingDeferred,
    Booked,
    InTransit,
    Delayed,
    OutForDelivery,
    Delivered,
    DeliveryFailed,
    Invoiced,
    Disputed,
    Closed,
    Cancelled,

    // Appended, not placed by its neighbours: members keep their values for whoever stored them.
    ProofOfDelivery,
}

public static class ShipmentMilestoneNames
{
    /// <summary>The milestone's name on the wire (the protocol's <see cref="MilestoneNames"/>).</summary>
    public static string EventName(this ShipmentMilestone milestone) => milestone switch
    {
        ShipmentMilestone.Released => MilestoneNames.Released,
        ShipmentMilestone.Allocated => MilestoneNames.Allocated,
        ShipmentMilestone.Picked => MilestoneNames.Picked,
        ShipmentMilestone.ShortPicked => MilestoneNames.ShortPicked,
        ShipmentMilestone.Packed => MilestoneNames.Packed,
        ShipmentMilestone.Tendered => MilestoneNames.Tendered,
        ShipmentMilestone.TenderRejected => MilestoneNames.TenderRejected,
        ShipmentMilestone.BookingDeferred => MilestoneNames.BookingDeferred,
        ShipmentMilestone.Booked => MilestoneNames.Booked,
        ShipmentMilestone.InTransit => MilestoneNames.InTransit,
        ShipmentMilestone.Delayed => MilestoneNames.Delayed,
        ShipmentMilestone.OutForDelivery => MilestoneNames.OutForDelivery,
        ShipmentMilestone.Delivered => MilestoneNames.Delivered,
        ShipmentMilestone.DeliveryFailed => MilestoneNames.DeliveryFailed,
        ShipmentMilestone.Invoiced => MilestoneNames.Invoiced,
        ShipmentMilestone.Disputed => MilestoneNames.Disputed,
        ShipmentMilestone.Closed => MilestoneNames.Closed,
        ShipmentMilestone.Cancelled => MilestoneNames.Cancelled,
        ShipmentMilestone.ProofOfDelivery => MilestoneNames.ProofOfDelivery,
        _ => throw new ArgumentOutOfRangeException(nameof(milestone), milestone, "Unknown shipment milestone."),
    };

    /// <summary>The CloudEvents <c>type</c> attribute, e.g. <c>logistics.shipment.out-for-delivery.v1</c>.</summary>
    public static string CloudEventType(this ShipmentMilestone milestone) => ShipmentEventTypes.Of(milestone.EventName());

    private static readonly Dictionary<string, ShipmentMilestone> ByCloudEventType =
        Enum.GetValues<ShipmentMilestone>().ToDictionary(CloudEventType, StringComparer.Ordinal);

    /// <summary>The milestone a CloudEvents type names, or null for a type this version does not know.</summary>
    public static ShipmentMilestone? FromCloudEventType(string type) =>
        ByCloudEventType.TryGetValue(type, out var milestone) ? milestone : null;
}
