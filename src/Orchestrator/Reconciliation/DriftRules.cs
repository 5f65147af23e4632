using LogisticsSync.Orchestrator.CarrierWebhooks;
using LogisticsSync.Orchestrator.Partners;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>The teams that own a drift no heal can fix (a ReconciliationDrift exception's owner).</summary>
internal static class DriftOwners
{
    public const string OrderManagement = "order-management";
    public const string Finance = "finance";
    public const string Warehouse = "warehouse-operations";
    public const string Transport = "transport-planning";
}

/// <summary>
/// Per shipment, the orchestrator's record against each partner's (docs/reconciliation.md has the table): pure
/// functions of the snapshot and the records, so every rule is testable without a server. A partner that could not be
/// read, or was not asked about the shipment, yields no finding: no evidence, no judgement.
/// </summary>
internal static class DriftRules
{
    private static readonly int Delivered = ShipmentSnapshot.PositionOf(ShipmentState.Delivered)!.Value;

    public static IEnumerable<Finding> Compare(ShipmentSnapshot shipment, PartnerRecords records) =>
        Erp(shipment, records).Concat(Wms(shipment, records)).Concat(Tms(shipment, records)).Concat(Carrier(shipment, records));

    private static IEnumerable<Finding> Erp(ShipmentSnapshot s, PartnerRecords records)
    {
        if (s.SourceSystem != PartnerNames.Erp || records.Unavailable.Contains(PartnerNames.Erp) || !records.Erp.TryGetValue(s.BusinessKey, out var erp))
        {
            yield break;
        }

        Finding Found(string subject, string drift, string ours, string theirs, object? theirRecord, Heal heal, string owner) =>
            new(s.Id, s.BusinessKey, PartnerNames.Erp, subject, drift, ours, theirs, Evidence(s, theirRecord), heal, owner);

        switch (erp.Release)
        {
            case null:
                yield return Found("release", DriftKinds.MissingAtPartner, $"released as shipment {s.Id}", "no release of this order", null, Heal.None, DriftOwners.OrderManagement);
                break;
            case { Status: "Rejected" } release:
                yield return Found("release", DriftKinds.StateAhead, $"released as shipment {s.Id}", "release rejected", release, Heal.None, DriftOwners.OrderManagement);
                break;
            case { Status: "Released" } release when release.Quantity != s.Quantity:
                yield return Found("release", DriftKinds.AmountMismatch, $"{s.Quantity} units", $"{release.Quantity} units", release, Heal.None, DriftOwners.OrderManagement);
                break;
        }

        if (s.GoodsIssue is { Completed: true } && erp.GoodsIssue is null)
        {
            yield return Found("goods-issue", DriftKinds.MissingAtPartner, "goods issue posted", "no goods issue", null, Heal.ResendGoodsIssue, DriftOwners.Finance);
        }
        else if (s.GoodsIssue is null && erp.GoodsIssue is { } document)
        {
            yield return Found("goods-issue", DriftKinds.MissingHere, "no goods issue", $"goods issue {document.Document}", document, Heal.None, DriftOwners.Finance);
        }

        if (s.Invoice is { Completed: true } && erp.Invoice is null)
        {
            yield return Found("invoice", DriftKinds.MissingAtPartner, s.State.ToString(), "no invoice", null, Heal.ResendInvoice, DriftOwners.Finance);
        }
        else if (s.Invoice is null && erp.Invoice is { } invoice)
        {
            yield return Found("invoice", DriftKinds.MissingHere, s.State.ToString(), $"invoice {invoice.Document}", invoice, Heal.None, DriftOwners.Finance);
        }
    }

    private static IEnumerable<Finding> Wms(ShipmentSnapshot s, PartnerRecords records)
    {
        if (!records.WmsAsked.Contains(s.BusinessKey) || records.Unavailable.Contains(PartnerRecordReader.Wms))
        {
            yield break;
        }

        Finding Found(string drift, string theirs, object? theirRecord, Heal heal) =>
            new(s.Id, s.BusinessKey, PartnerRecordReader.Wms, "order", drift, s.State.ToString(), theirs, Evidence(s, theirRecord), heal, DriftOwners.Warehouse);

        if (!records.Wms.TryGetValue(s.BusinessKey, out var order))
        {
            // Released and unknown to the WMS: the released event never reached it; publishing it again is safe.
            yield return Found(DriftKinds.MissingAtPartner, "no such order", null, s.State == ShipmentState.Released ? Heal.RepublishReleased : Heal.None);
            yield break;
        }

        var theirs = WarehouseRank(order.Status);
        var ours = s.State switch
        {
            ShipmentState.Allocated => 1,
            ShipmentState.Picked or ShipmentState.ShortShipped => 2,
            _ => 0,
        };
        if (theirs > ours)
        {
            yield return Found(DriftKinds.StateBehind, order.Status, order, Heal.ResendConfirmations);
        }
        else if (theirs < ours)
        {
            yield return Found(DriftKinds.StateAhead, order.Status, order, Heal.None);
        }
    }

    private static int WarehouseRank(string status) => status switch
    {
        "ALLOCATED" => 1,
        "PICKED" or "SHORT_PICKED" => 2,
        "PACKED" => 3,
        _ => 0,
    };

    private static IEnumerable<Finding> Tms(ShipmentSnapshot s, PartnerRecords records)
    {
        if (s.BookedTenderId is not { } tenderId || !records.TmsAsked.Contains(tenderId) || records.Unavailable.Contains(PartnerNames.Tms))
        {
            yield break;
        }

        var ours = $"booked with {s.CarrierId} as {s.BookingReference}";
        Finding Found(string drift, string theirs, object? theirRecord) =>
            new(s.Id, s.BusinessKey, PartnerNames.Tms, "tender", drift, ours, theirs, Evidence(s, theirRecord), Heal.None, DriftOwners.Transport);

        if (!records.Tms.TryGetValue(tenderId, out var tender))
        {
            yield return Found(DriftKinds.MissingAtPartner, $"no answer to tender {tenderId}", null);
        }
        else if (tender.Outcome != "booked")
        {
            yield return Found(DriftKinds.StateAhead, $"tender {tender.Outcome}", tender);
        }
        else if (tender.CarrierId != s.CarrierId || tender.BookingReference != s.BookingReference)
        {
            yield return Found(DriftKinds.AmountMismatch, $"booked with {tender.CarrierId} as {tender.BookingReference}", tender);
        }
    }

    private static IEnumerable<Finding> Carrier(ShipmentSnapshot s, PartnerRecords records)
    {
        if (s.CarrierId is not { } carrierId || s.TrackingNumber is not { } tracking || !records.CarrierAsked.Contains((carrierId, tracking))
            || records.Unavailable.Contains(PartnerRecordReader.CarrierPartner(carrierId)) || s.Position is not { } ours)
        {
            yield break;
        }

        Finding Found(string drift, string theirs, object? theirRecord, Heal heal) =>
            new(s.Id, s.BusinessKey, PartnerRecordReader.CarrierPartner(carrierId), "tracking", drift, s.State.ToString(), theirs, Evidence(s, theirRecord), heal, DriftOwners.Transport);

        if (!records.Carriers.TryGetValue((carrierId, tracking), out var record))
        {
            // A delivered shipment's tracking may be archived by the carrier; before that its absence is drift.
            if (ours < Delivered)
            {
                yield return Found(DriftKinds.MissingAtPartner, $"no shipment {tracking}", null, Heal.None);
            }

            yield break;
        }

        if (record.BookingReference != s.BookingReference)
        {
            yield return Found(DriftKinds.AmountMismatch, $"booking {record.BookingReference}", record, Heal.None);
            yield break;
        }

        if (record.Status is not { } status || !CarrierFormats.TryMilestoneOf(carrierId, status, out var milestone))
        {
            yield break;
        }

        var theirs = ShipmentSnapshot.PositionOf(StateOf(milestone))!.Value;
        // Proof of delivery without an invoice task: the carrier's POD never arrived, though Delivered did.
        var podMissing = milestone == ShipmentMilestone.ProofOfDelivery && s.Invoice is null;
        if (theirs > ours || (theirs == ours && podMissing))
        {
            yield return Found(DriftKinds.StateBehind, status, record, Heal.PushTracking);
        }
        else if (theirs < ours)
        {
            yield return Found(DriftKinds.StateAhead, status, record, Heal.None);
        }
    }

    /// <summary>The state a carrier milestone leads to; a status that moves nothing (label created) stands for Booked.</summary>
    private static ShipmentState StateOf(ShipmentMilestone? milestone) => milestone switch
    {
        ShipmentMilestone.InTransit => ShipmentState.InTransit,
        ShipmentMilestone.Delayed => ShipmentState.Delayed,
        ShipmentMilestone.OutForDelivery => ShipmentState.OutForDelivery,
        ShipmentMilestone.DeliveryFailed => ShipmentState.DeliveryFailed,
        ShipmentMilestone.Delivered or ShipmentMilestone.ProofOfDelivery => ShipmentState.Delivered,
        _ => ShipmentState.Booked,
    };

    private static object Evidence(ShipmentSnapshot s, object? theirs) => new
    {
        ours = new
        {
            s.State, s.Quantity, s.CarrierId, s.TrackingNumber, s.BookingReference, s.BookedTenderId,
            goodsIssue = s.GoodsIssue, invoice = s.Invoice, s.UpdatedAt,
        },
        theirs,
    };
}
