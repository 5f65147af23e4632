using LogisticsSync.Load.Chaos.Invariants;

namespace LogisticsSync.Load.Chaos.Tests.Invariants;

public sealed class InvariantCheckTests
{
    private static readonly Guid First = Guid.NewGuid();
    private static readonly Guid Second = Guid.NewGuid();

    /// <summary>Two orders released, one invoiced and closed, one parked with an open exception; everything drained.</summary>
    private static readonly Records Healthy = new(
        [new ErpOrder("SO-1", "Released", First), new ErpOrder("SO-2", "Released", Second)],
        [new ShipmentRow("SO-1", First, "Closed", []), new ShipmentRow("SO-2", Second, "BookingDeferred", ["BookingDeferred: no carrier"])],
        [new Posting("goods-issue", "SO-1", "GI-0000001"), new Posting("invoice", "SO-1", "INV-0000001")],
        [],
        0,
        new Dictionary<string, long> { ["orchestrator.milestones"] = 0 },
        [new DeadLetter(1, "e-1", "wms.picked", "poison: not JSON")]);

    [Fact]
    public void Evaluate_SettledRun_EveryInvariantHolds()
    {
        var results = InvariantCheck.Evaluate(Healthy);

        Assert.All(results, r => Assert.True(r.Holds, $"{r.Name}: {r.Figure} {string.Join("; ", r.Offenders)}"));
        Assert.Equal(9, results.Count);
    }

    [Fact]
    public void Evaluate_OrderStillPendingAtTheErp_NoOrderLostFails() =>
        AssertOnlyBroken(Healthy with { Orders = [.. Healthy.Orders, new ErpOrder("SO-3", "Pending", null)] }, "no order lost", "SO-3 Pending");

    [Fact]
    public void Evaluate_ErpReleasedNothing_NoOrderLostFails() =>
        AssertOnlyBroken(Healthy with { Orders = [], Shipments = [], Postings = [] }, "no order lost", "the ERP released nothing");

    [Fact]
    public void Evaluate_TwoShipmentsForOneOrder_OneShipmentPerOrderFails() =>
        AssertOnlyBroken(Healthy with { Shipments = [.. Healthy.Shipments, new ShipmentRow("SO-1", Guid.NewGuid(), "Closed", [])] },
            "exactly one shipment", "SO-1: 2 shipments");

    [Fact]
    public void Evaluate_ShipmentIdDiffersFromTheErps_OneShipmentPerOrderFails()
    {
        var other = Guid.NewGuid();
        AssertOnlyBroken(Healthy with { Shipments = [new ShipmentRow("SO-1", other, "Closed", []), Healthy.Shipments[1]] },
            "exactly one shipment", $"the orchestrator has {other}");
    }

    [Fact]
    public void Evaluate_ShipmentTheErpNeverReleased_OneShipmentPerOrderFails() =>
        AssertOnlyBroken(Healthy with { Shipments = [.. Healthy.Shipments, new ShipmentRow("SO-9", Guid.NewGuid(), "Closed", [])] },
            "exactly one shipment", "SO-9: a shipment the ERP never released");

    [Fact]
    public void Evaluate_InvoicedWithNothingOpenButNotClosed_SettledFails() =>
        AssertOnlyBroken(Healthy with { Shipments = [new ShipmentRow("SO-1", First, "Invoiced", []), Healthy.Shipments[1]] }, "every shipment settled", "SO-1 Invoiced");

    [Fact]
    public void Evaluate_InvoicedWithAnOpenException_Explained() =>
        Assert.All(InvariantCheck.Evaluate(Healthy with { Shipments = [new ShipmentRow("SO-1", First, "Invoiced", ["DeliveryLate: late"]), Healthy.Shipments[1]] }),
            r => Assert.True(r.Holds, r.Name));

    [Fact]
    public void Evaluate_StuckWithoutException_SettledFails() =>
        AssertOnlyBroken(Healthy with { Shipments = [Healthy.Shipments[0], new ShipmentRow("SO-2", Second, "Released", [])] }, "every shipment settled", "SO-2 Released");

    [Fact]
    public void Evaluate_StuckWithoutException_SaysPerStateHowLongAgoAndWhatItWaitsOn()
    {
        var stuck = new ShipmentRow("SO-2", Second, "Packed", [], TimeSpan.FromSeconds(84), "tender held by orchestrator-1 due in 36 s");

        var broken = Assert.Single(InvariantCheck.Evaluate(Healthy with { Shipments = [Healthy.Shipments[0], stuck] }), r => !r.Holds);

        Assert.EndsWith("1 neither (Packed 1)", broken.Figure, StringComparison.Ordinal);
        Assert.Equal("SO-2 Packed, last change 84 s ago, waiting on tender held by orchestrator-1 due in 36 s", Assert.Single(broken.Offenders));
    }

    [Fact]
    public void Evaluate_InvoicePostedUnderTwoDocuments_InvoiceInvariantFails() =>
        AssertOnlyBroken(Healthy with { Postings = [.. Healthy.Postings, new Posting("invoice", "SO-1", "INV-0000007")] }, "no invoice posted twice", "SO-1: INV-0000001, INV-0000007");

    [Fact]
    public void Evaluate_SameDocumentSeenTwice_IsOnePosting()
    {
        var results = InvariantCheck.Evaluate(Healthy with { Postings = [.. Healthy.Postings, new Posting("invoice", "SO-1", "INV-0000001")] });

        Assert.All(results, r => Assert.True(r.Holds, r.Name));
    }

    [Fact]
    public void Evaluate_GoodsIssuePostedTwice_GoodsIssueInvariantFails() =>
        AssertOnlyBroken(Healthy with { Postings = [.. Healthy.Postings, new Posting("goods-issue", "SO-1", "GI-0000002")] }, "no goods issue posted twice", "SO-1");

    [Fact]
    public void Evaluate_MilestoneAppliedTwice_Fails() =>
        AssertOnlyBroken(Healthy with { MilestonesAppliedTwice = ["SO-1 packed ×2"] }, "every accepted milestone applied once", "SO-1 packed ×2");

    [Fact]
    public void Evaluate_OutboxUnsent_Fails() => AssertOnlyBroken(Healthy with { OutboxUnsent = 3 }, "outbox drained", null);

    [Fact]
    public void Evaluate_MessagesLeftInAQueue_Fails() =>
        AssertOnlyBroken(Healthy with { QueueDepths = new Dictionary<string, long> { ["wms.releases"] = 4 } }, "broker queues drained", "wms.releases: 4");

    [Fact]
    public void Evaluate_EventsNobodySubscribesTo_ReportedNotFailed()
    {
        var results = InvariantCheck.Evaluate(Healthy with { QueueDepths = new Dictionary<string, long> { ["logistics.unrouted"] = 1_733, ["wms.releases"] = 0 } });

        var drained = Assert.Single(results, r => r.Name == "broker queues drained");
        Assert.True(drained.Holds);
        Assert.Contains("1733 unsubscribed events", drained.Figure, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_DeadLetterThatIsNotPoison_FailsAndListsEveryDeadLetterWithItsReason() =>
        AssertOnlyBroken(Healthy with { DeadLetters = [.. Healthy.DeadLetters, new DeadLetter(2, "e-2", "carrier.delivered", "failed 5 times, last: connection refused")] },
            "dead letters only for poison", "#2 carrier.delivered e-2: failed 5 times, last: connection refused");

    private static void AssertOnlyBroken(Records records, string invariant, string? offender)
    {
        var results = InvariantCheck.Evaluate(records);

        var broken = Assert.Single(results, r => !r.Holds);
        Assert.Contains(invariant, broken.Name, StringComparison.Ordinal);
        if (offender is not null)
        {
            Assert.Contains(broken.Offenders, o => o.Contains(offender, StringComparison.Ordinal));
        }
    }
}
