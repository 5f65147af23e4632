using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using LogisticsSync.Simulators.Messaging;

namespace LogisticsSync.Simulators.Tests.Messaging;

/// <summary>The partners read the orchestrator's canonical events by hand; this pins their reading to the published event.</summary>
public sealed class ShipmentEventContractTests
{
    [Fact]
    public void DecodeShipmentEvent_OrchestratorsReleasedEvent_ReadsKeySourceAndCorrelation()
    {
        var data = new ShipmentMilestoneEvent(Guid.NewGuid(), "SO-1", "erp", MilestoneNames.Released, "Erp", "Planned", "Released", [], 1, DateTimeOffset.UnixEpoch);
        var correlation = CloudEventAttribute.CreateExtension(ShipmentEventTypes.CorrelationIdExtension, CloudEventAttributeType.String);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, [correlation])
        {
            Id = Guid.NewGuid().ToString(),
            Type = ShipmentEventTypes.Of(MilestoneNames.Released),
            Source = ShipmentEventTypes.SourceOf("orchestrator"),
            Subject = "SO-1",
            DataContentType = MediaTypeNames.Application.Json,
            Data = JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web),
        };
        cloudEvent[correlation] = "corr-1";
        var body = new JsonEventFormatter(new JsonSerializerOptions(JsonSerializerDefaults.Web), new JsonDocumentOptions()).EncodeStructuredModeMessage(cloudEvent, out _);

        var read = CanonicalCloudEvents.DecodeShipmentEvent(body);

        Assert.Equal(new ShipmentEvent("logistics.shipment.released.v1", "SO-1", "erp", "corr-1"), read);
    }
}
