using System.Text.Json;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Input;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Orchestrator.Milestones;

/// <summary>A message that can never be applied, however often it is retried: it goes straight to the dead letters.</summary>
internal sealed class PoisonMessageException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A milestone reported by a partner system: a structured CloudEvent whose type names the milestone
/// (<c>logistics.shipment.picked.v1</c>), whose source names the reporting system
/// (<c>urn:logistics-sync:wms</c>), whose subject is the business key and whose id is the event id.
/// </summary>
internal sealed record MilestoneMessage(string EventId, ShipmentMilestone Milestone, EstateSystem Source, string OrderSource, string BusinessKey, string CorrelationId, DateTimeOffset OccurredAt)
{
    /// <param name="userId">The AMQP <c>user-id</c>, which the broker checked against the publisher's connection: the reporter.</param>
    public static MilestoneMessage Parse(ReadOnlyMemory<byte> body, string? userId, DateTimeOffset receivedAt)
    {
        var reporter = MilestoneReporter.FromUserId(userId);
        CloudNative.CloudEvents.CloudEvent cloudEvent;
        try
        {
            cloudEvent = CanonicalEvents.Decode(body);
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or InvalidOperationException or FormatException)
        {
            throw new PoisonMessageException($"not a structured CloudEvent: {exception.Message}", exception);
        }

        var milestone = ShipmentMilestoneNames.FromCloudEventType(cloudEvent.Type!)
            ?? throw new PoisonMessageException($"unknown event type '{cloudEvent.Type}'");
        MilestoneReporter.RequireSourceOf(reporter, userId!, cloudEvent.Source);
        if (string.IsNullOrWhiteSpace(cloudEvent.Subject))
        {
            throw new PoisonMessageException("the subject (business key) is missing");
        }

        if (cloudEvent.Id is not { } id || InputRules.Violation(id, allowLineBreaks: false) is not null
            || InputRules.Violation(cloudEvent.Subject, allowLineBreaks: false) is not null)
        {
            throw new PoisonMessageException("the id or subject holds characters the estate refuses (NUL, control characters, unpaired surrogates)");
        }

        var orderSource = cloudEvent.Data is JsonElement { ValueKind: JsonValueKind.Object } data
            && data.TryGetProperty(ShipmentEventTypes.OrderSourceSystemField, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : Shipments.ReleaseShipmentValidation.DefaultSourceSystem;
        if (InputRules.Violation(orderSource, allowLineBreaks: false) is not null
            || (cloudEvent[CanonicalEvents.CorrelationIdAttribute] is string correlation && InputRules.Violation(correlation, allowLineBreaks: false) is not null))
        {
            throw new PoisonMessageException("orderSourceSystem or correlationid holds characters the estate refuses");
        }

        return new MilestoneMessage(
            cloudEvent.Id!,
            milestone,
            reporter,
            orderSource,
            cloudEvent.Subject,
            cloudEvent[CanonicalEvents.CorrelationIdAttribute] as string ?? cloudEvent.Id!,
            cloudEvent.Time ?? receivedAt);
    }
}
