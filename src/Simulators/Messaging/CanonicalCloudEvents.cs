using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Simulators.Messaging;

/// <summary>A canonical shipment event as a partner reads it: whose shipment, under which correlation id.</summary>
internal sealed record ShipmentEvent(string Type, string BusinessKey, string SourceSystem, string CorrelationId);

/// <summary>
/// A milestone a partner reports: structured CloudEvent, source <c>urn:logistics-sync:{system}</c>, subject the business
/// key; <paramref name="Detail"/>'s properties (say, the pick's lines) join <c>orderSourceSystem</c> in its data.
/// </summary>
internal sealed record MilestoneReport(Guid EventId, string System, string Milestone, string BusinessKey, string OrderSourceSystem, string CorrelationId, DateTimeOffset OccurredAt, object? Detail = null);

/// <summary>CloudEvents 1.0, structured JSON mode, with the estate's <c>correlationid</c> extension.</summary>
internal static class CanonicalCloudEvents
{
    private static readonly CloudEventAttribute CorrelationId = CloudEventAttribute.CreateExtension(ShipmentEventTypes.CorrelationIdExtension, CloudEventAttributeType.String);
    private static readonly JsonEventFormatter Formatter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web), new JsonDocumentOptions());

    public static byte[] Encode(MilestoneReport report)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, [CorrelationId])
        {
            Id = report.EventId.ToString(),
            Type = ShipmentEventTypes.Of(report.Milestone),
            Source = ShipmentEventTypes.SourceOf(report.System),
            Subject = report.BusinessKey,
            Time = report.OccurredAt,
            DataContentType = MediaTypeNames.Application.Json,
            Data = Data(report),
        };
        cloudEvent[CorrelationId] = report.CorrelationId;
        return Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
    }

    private static JsonElement Data(MilestoneReport report)
    {
        var data = report.Detail is null ? [] : JsonSerializer.SerializeToNode(report.Detail, JsonSerializerOptions.Web)!.AsObject();
        data[ShipmentEventTypes.OrderSourceSystemField] = report.OrderSourceSystem;
        return JsonSerializer.SerializeToElement(data, JsonSerializerOptions.Web);
    }

    /// <summary>Reads an orchestrator event; a body that is not one is a <see cref="FormatException"/>.</summary>
    public static ShipmentEvent DecodeShipmentEvent(ReadOnlyMemory<byte> body)
    {
        CloudEvent cloudEvent;
        try
        {
            cloudEvent = Formatter.DecodeStructuredModeMessage(body, new ContentType(ShipmentEventTypes.ContentType), [CorrelationId]);
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or InvalidOperationException)
        {
            throw new FormatException($"not a structured CloudEvent: {exception.Message}", exception);
        }

        if (cloudEvent.Data is not JsonElement { ValueKind: JsonValueKind.Object } data
            || !data.TryGetProperty("businessKey", out var businessKey) || businessKey.ValueKind != JsonValueKind.String || businessKey.GetString() is not { Length: > 0 } key
            || !data.TryGetProperty("sourceSystem", out var sourceSystem) || sourceSystem.ValueKind != JsonValueKind.String || sourceSystem.GetString() is not { Length: > 0 } source)
        {
            throw new FormatException($"event {cloudEvent.Id} carries no businessKey and sourceSystem");
        }

        return new ShipmentEvent(cloudEvent.Type!, key, source, cloudEvent[CorrelationId] as string ?? cloudEvent.Id!);
    }
}
