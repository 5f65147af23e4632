using System.Text.RegularExpressions;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Orchestrator.Tests.Shipments.Lifecycle;

public sealed class ShipmentMilestoneNamesTests
{
    [Fact]
    public void EventName_EveryMilestone_IsUniqueKebabCase()
    {
        var names = Enum.GetValues<ShipmentMilestone>().Select(m => m.EventName()).ToList();

        Assert.All(names, name => Assert.Matches(new Regex("^[a-z]+(-[a-z]+)*$"), name));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [InlineData(ShipmentMilestone.OutForDelivery, "logistics.shipment.out-for-delivery.v1")]
    [InlineData(ShipmentMilestone.ShortPicked, "logistics.shipment.short-picked.v1")]
    [InlineData(ShipmentMilestone.Released, "logistics.shipment.released.v1")]
    public void CloudEventType_Milestone_IsVersionedShipmentType(ShipmentMilestone milestone, string expected)
    {
        Assert.Equal(expected, milestone.CloudEventType());
    }
}
