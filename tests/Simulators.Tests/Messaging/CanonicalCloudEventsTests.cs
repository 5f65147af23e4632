using System.Text;
using LogisticsSync.Simulators.Messaging;

namespace LogisticsSync.Simulators.Tests.Messaging;

public sealed class CanonicalCloudEventsTests
{
    [Theory]
    [InlineData("""{"businessKey":42,"sourceSystem":"erp"}""")]
    [InlineData("""{"businessKey":"SO-1","sourceSystem":{"name":"erp"}}""")]
    [InlineData("""{"businessKey":null,"sourceSystem":"erp"}""")]
    [InlineData("""["SO-1","erp"]""")]
    public void DecodeShipmentEvent_DataOfTheWrongShape_IsAFormatException(string data)
    {
        // The WMS consumer rejects a FormatException (settled); anything else escaped it unsettled.
        var body = Encoding.UTF8.GetBytes($$$"""
            {"specversion":"1.0","id":"e-1","type":"logistics.shipment.released.v1","source":"urn:logistics-sync:orchestrator","data":{{{data}}}}
            """);

        Assert.Throws<FormatException>(() => CanonicalCloudEvents.DecodeShipmentEvent(body));
    }
}
