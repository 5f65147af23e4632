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
    /// <summary>
    /// The milestone's name on the wire. Spelled out rather than derived from the enum member, so
    /// that renaming a member can never silently change a published CloudEvents type.
    /// </summary>
    public static string EventName(this ShipmentMilestone milestone) => milestone switch
    {
        ShipmentMilestone.Released => "released",
        ShipmentMilestone.Allocated => "allocated",
        ShipmentMilestone.Picked => "picked",
        ShipmentMilestone.ShortPicked => "short-picked",
        ShipmentMilestone.Packed => "packed",
        ShipmentMilestone.Tendered => "tendered",
        ShipmentMilestone.TenderRejected => "tender-rejected",
        ShipmentMilestone.BookingDeferred => "booking-deferred",
        ShipmentMilestone.Booked => "booked",
        ShipmentMilestone.InTransit => "in-transit",
        ShipmentMilestone.Delayed => "delayed",
        ShipmentMilestone.OutForDelivery => "out-for-delivery",
        ShipmentMilestone.Delivered => "delivered",
        ShipmentMilestone.DeliveryFailed => "delivery-failed",
        ShipmentMilestone.Invoiced => "invoiced",
        ShipmentMilestone.Disputed => "disputed",
        ShipmentMilestone.Closed => "closed",
        ShipmentMilestone.Cancelled => "cancelled",
        ShipmentMilestone.ProofOfDelivery => "proof-of-delivery",
        _ => throw new ArgumentOutOfRangeException(nameof(milestone), milestone, "Unknown shipment milestone."),
    };

    /// <summary>The CloudEvents <c>type</c> attribute, e.g. <c>logistics.shipment.out-for-delivery.v1</c>.</summary>
    public static string CloudEventType(this ShipmentMilestone milestone) => $"logistics.shipment.{milestone.EventName()}.v1";

    private static readonly Dictionary<string, ShipmentMilestone> ByCloudEventType =
        Enum.GetValues<ShipmentMilestone>().ToDictionary(CloudEventType, StringComparer.Ordinal);

    /// <summary>The milestone a CloudEvents type names, or null for a type this version does not know.</summary>
    public static ShipmentMilestone? FromCloudEventType(string type) =>
        ByCloudEventType.TryGetValue(type, out var milestone) ? milestone : null;
}
