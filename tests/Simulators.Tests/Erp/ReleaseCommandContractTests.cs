using System.Text.Json;
using System.Text.Json.Nodes;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Erp;

namespace LogisticsSync.Simulators.Tests.Erp;

/// <summary>The ERP simulator writes its release body by hand, as a real ERP would; this pins it to the orchestrator's command.</summary>
public sealed class ReleaseCommandContractTests
{
    /// <summary>Fields of the command the ERP may leave out (the orchestrator defaults them).</summary>
    private static readonly string[] Optional = ["sourceSystem"];

    [Fact]
    public void Serialize_GeneratedOrder_RoundTripsThroughReleaseShipmentRequest()
    {
        var body = ReleaseCommand.Serialize(Order());

        ContractAssert.RoundTripsOneWay<JsonElement, ReleaseShipmentRequest>(JsonSerializer.Deserialize<JsonElement>(body));
    }

    [Fact]
    public void Serialize_GeneratedOrder_CarriesEveryFieldOfTheCommand()
    {
        var sent = ContractAssert.PropertyPaths(JsonNode.Parse(ReleaseCommand.Serialize(Order()))!);
        var request = JsonSerializer.Deserialize<ReleaseShipmentRequest>(ReleaseCommand.Serialize(Order()), JsonSerializerOptions.Web);
        var expected = ContractAssert.PropertyPaths(JsonSerializer.SerializeToNode(request, JsonSerializerOptions.Web)!);

        Assert.Equal(expected.Except(Optional).Order(StringComparer.Ordinal), sent.Order(StringComparer.Ordinal));
    }

    private static SalesOrder Order() =>
        new OrderGenerator(MasterData.Generate(7), 7, new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero)).Generate(1);
}
