namespace LogisticsSync.Orchestrator.Shipments.Lifecycle;

/// <summary>Where a shipment is in its one governed lifecycle (ARCHITECTURE.md §2).</summary>
public enum ShipmentState
{
    // The main path, in order.
    Planned,
    Released,
    Allocated,
    Picked,
    Packed,
    Tendered,
    Booked,
    InTransit,
    Delayed,
    OutForDelivery,
    Delivered,
    Invoiced,
    Closed,

    // Side states: exceptions and detours off the main path.
    ShortShipped,
    TenderRejected,
    BookingDeferred,
    DeliveryFailed,
    Disputed,
    Cancelled,
}
