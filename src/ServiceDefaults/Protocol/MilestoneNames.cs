namespace LogisticsSync.ServiceDefaults.Protocol;

/// <summary>
/// Milestone names on the wire (docs/lifecycle.md, event catalogue): the <c>{milestone}</c> of event types and routing
/// keys. Spelled out, never derived from an enum member, so a rename in code cannot change a published type.
/// </summary>
public static class MilestoneNames
{
    public const string Released = "released";
    public const string Allocated = "allocated";
    public const string Picked = "picked";
    public const string ShortPicked = "short-picked";
    public const string Packed = "packed";
    public const string Tendered = "tendered";
    public const string TenderRejected = "tender-rejected";
    public const string BookingDeferred = "booking-deferred";
    public const string Booked = "booked";
    public const string InTransit = "in-transit";
    public const string Delayed = "delayed";
    public const string OutForDelivery = "out-for-delivery";
    public const string Delivered = "delivered";
    public const string DeliveryFailed = "delivery-failed";
    public const string Invoiced = "invoiced";
    public const string Disputed = "disputed";
    public const string Closed = "closed";
    public const string Cancelled = "cancelled";
    public const string ProofOfDelivery = "proof-of-delivery";
}
