using LogisticsSync.Orchestrator.Reconciliation;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Tests.Reconciliation;

/// <summary>The comparison rules of docs/reconciliation.md, one drift each, and the agreement that finds nothing.</summary>
public sealed class DriftRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Tender = Guid.NewGuid();

    [Fact]
    public void Compare_EveryPartnerAgrees_FindsNothing()
    {
        var shipment = Shipment(ShipmentState.InTransit) with { GoodsIssue = new TaskSnapshot(true, At) };
        var records = Records(shipment, erp: Erp(shipment, goodsIssue: true), carrierStatus: "IN_TRANSIT");

        Assert.Empty(DriftRules.Compare(shipment, records));
    }

    [Fact]
    public void Compare_InvoicedHereNoInvoiceAtTheErp_MissingAtPartnerHealedByResendingTheTrigger()
    {
        var shipment = Shipment(ShipmentState.Invoiced) with { GoodsIssue = new TaskSnapshot(true, At), Invoice = new TaskSnapshot(true, At) };

        var finding = Assert.Single(DriftRules.Compare(shipment, Records(shipment, erp: Erp(shipment, goodsIssue: true))));

        Assert.Equal(("erp", "invoice", DriftKinds.MissingAtPartner, Heal.ResendInvoice), (finding.Partner, finding.Subject, finding.Drift, finding.Heal));
    }

    [Fact]
    public void Compare_WmsPackedHereReleased_StateBehindHealedByAskingForTheConfirmations()
    {
        var shipment = Shipment(ShipmentState.Released) with { CarrierId = null, TrackingNumber = null, BookingReference = null, BookedTenderId = null };
        var records = Records(shipment, erp: Erp(shipment));
        records.WmsAsked.Add(shipment.BusinessKey);
        records.Wms[shipment.BusinessKey] = new WmsOrder(shipment.BusinessKey, "PACKED", At);

        var finding = Assert.Single(DriftRules.Compare(shipment, records));

        Assert.Equal(("wms", DriftKinds.StateBehind, Heal.ResendConfirmations), (finding.Partner, finding.Drift, finding.Heal));
    }

    [Fact]
    public void Compare_ReleasedAndUnknownToTheWms_RepublishesTheReleasedEvent()
    {
        var shipment = Shipment(ShipmentState.Released) with { CarrierId = null, TrackingNumber = null, BookingReference = null, BookedTenderId = null };
        var records = Records(shipment, erp: Erp(shipment));
        records.WmsAsked.Add(shipment.BusinessKey);

        var finding = Assert.Single(DriftRules.Compare(shipment, records));

        Assert.Equal((DriftKinds.MissingAtPartner, Heal.RepublishReleased), (finding.Drift, finding.Heal));
    }

    [Theory]
    [InlineData("parcelfast", "DELIVERED", ShipmentState.OutForDelivery, DriftKinds.StateBehind, "PushTracking")]
    [InlineData("freightline", "POD", ShipmentState.Delivered, DriftKinds.StateBehind, "PushTracking")]
    [InlineData("parcelfast", "IN_TRANSIT", ShipmentState.OutForDelivery, DriftKinds.StateAhead, "None")]
    public void Compare_CarrierStatus_AgainstOurs(string carrier, string status, ShipmentState ours, string drift, string heal)
    {
        var shipment = Shipment(ours) with { CarrierId = carrier, GoodsIssue = new TaskSnapshot(true, At) };

        var finding = Assert.Single(DriftRules.Compare(shipment, Records(shipment, erp: Erp(shipment, goodsIssue: true), carrierStatus: status)));

        Assert.Equal(($"carrier-{carrier}", drift, heal), (finding.Partner, finding.Drift, finding.Heal.ToString()));
    }

    [Fact]
    public void Compare_ErpOrderedOtherQuantity_AmountMismatchForAPerson()
    {
        var shipment = Shipment(ShipmentState.Booked);
        var erp = Erp(shipment) with { Release = new ErpRelease("Released", shipment.Id, shipment.Quantity + 1) };

        var finding = Assert.Single(DriftRules.Compare(shipment, Records(shipment, erp: erp, carrierStatus: "LABEL_CREATED")));

        Assert.Equal((DriftKinds.AmountMismatch, Heal.None, DriftOwners.OrderManagement), (finding.Drift, finding.Heal, finding.OwnerTeam));
    }

    [Fact]
    public void Compare_PartnerUnavailable_JudgesNothingOfIt()
    {
        var shipment = Shipment(ShipmentState.Invoiced) with { Invoice = new TaskSnapshot(true, At) };
        var records = Records(shipment, erp: Erp(shipment));
        records.Unavailable.Add("erp");

        Assert.Empty(DriftRules.Compare(shipment, records));
    }

    private static ShipmentSnapshot Shipment(ShipmentState state) => new(
        Guid.NewGuid(), "erp", "SO-1", state, "corr-1", 3, "parcelfast", "PF1234567890", "PFB-1", Tender, null, null, At, At);

    private static ErpOrderDocuments Erp(ShipmentSnapshot shipment, bool goodsIssue = false) => new(
        shipment.BusinessKey, new ErpRelease("Released", shipment.Id, shipment.Quantity), goodsIssue ? new ErpDocument("GI-1", At) : null, null);

    private static PartnerRecords Records(ShipmentSnapshot shipment, ErpOrderDocuments erp, string? carrierStatus = null)
    {
        var records = new PartnerRecords();
        records.Erp[shipment.BusinessKey] = erp;
        if (carrierStatus is not null && shipment.CarrierId is { } carrier)
        {
            records.CarrierAsked.Add((carrier, shipment.TrackingNumber!));
            records.Carriers[(carrier, shipment.TrackingNumber!)] = new CarrierTracking(shipment.TrackingNumber!, shipment.BookingReference!, shipment.BusinessKey, carrierStatus, At);
        }

        return records;
    }
}
