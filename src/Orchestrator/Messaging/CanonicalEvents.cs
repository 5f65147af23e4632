using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Orchestrator.Messaging;

/// <summary>An event ready for the outbox: its id, CloudEvents type, routing key and structured-mode JSON body.</summary>
public sealed record OutgoingEvent(Guid EventId, Guid ShipmentId, string Type, byte[] Body);

/// <summary>Canonical events as CloudEvents 1.0 in structured JSON mode, with a correlation id extension.</summary>
public static class CanonicalEvents
{
    public static readonly CloudEventAttribute CorrelationIdAttribute =
        CloudEventAttribute.CreateExtension(ShipmentEventTypes.CorrelationIdExtension, CloudEventAttributeType.String);

    private static readonly JsonEventFormatter Formatter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web), new JsonDocumentOptions());

    public static OutgoingEvent Create<TData>(Guid shipmentId, string type, string subject, string correlationId, DateTimeOffset time, TData data, string source = "orchestrator", Guid? eventId = null)
    {
        var id = eventId ?? Guid.CreateVersion7(time);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, [CorrelationIdAttribute])
        {
            Id = id.ToString(),
            Type = type,
            Source = ShipmentEventTypes.SourceOf(source),
            Subject = subject,
            Time = time,
            DataContentType = MediaTypeNames.Application.Json,
            Data = JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web),
        };
        cloudEvent[CorrelationIdAttribute] = correlationId;
        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out _);
        return new OutgoingEvent(id, shipmentId, type, body.ToArray());
    }

    public static CloudEvent Decode(ReadOnlyMemory<byte> body) =>
        Formatter.DecodeStructuredModeMessage(body, new System.Net.Mime.ContentType(ShipmentEventTypes.ContentType), [CorrelationIdAttribute]);
}
