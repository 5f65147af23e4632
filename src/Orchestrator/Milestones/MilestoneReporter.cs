using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Orchestrator.Milestones;

/// <summary>
/// Who reported a milestone: the broker user that published it (AMQP <c>user-id</c>, which RabbitMQ refuses
/// unless it is the publishing connection's user), never what the body claims. A CloudEvent <c>source</c> that
/// names another system is a forgery or a bug: poison, dead-lettered with the reason.
/// </summary>
internal static class MilestoneReporter
{
    /// <summary>Broker users are named after their resources: <c>wms</c>, <c>tms</c>, <c>carrier-parcelfast</c>.</summary>
    public static EstateSystem FromUserId(string? userId)
    {
        if (string.IsNullOrEmpty(userId))
        {
            throw new PoisonMessageException("no user-id: the publisher did not say which broker user it is, so the reporter is unknown");
        }

        var system = userId.StartsWith("carrier-", StringComparison.Ordinal) ? nameof(EstateSystem.Carrier) : userId;
        return Enum.TryParse<EstateSystem>(system, ignoreCase: true, out var reporter) && !int.TryParse(system, out _)
            ? reporter
            : throw new PoisonMessageException($"broker user '{Printable(userId)}' is not a LogisticsSync system");
    }

    public static void RequireSourceOf(EstateSystem reporter, string userId, Uri? source)
    {
        var sourceName = source?.ToString() is { } text && text.StartsWith(ShipmentEventTypes.SourcePrefix, StringComparison.Ordinal)
            ? text[ShipmentEventTypes.SourcePrefix.Length..]
            : throw new PoisonMessageException($"source '{source}' is not a LogisticsSync system (expected {ShipmentEventTypes.SourcePrefix}<system>)");
        if (!Enum.TryParse<EstateSystem>(sourceName, ignoreCase: true, out var claimed) || int.TryParse(sourceName, out _))
        {
            throw new PoisonMessageException($"unknown source system '{sourceName}'");
        }

        if (claimed != reporter)
        {
            throw new PoisonMessageException($"source '{source}' disagrees with the authenticated publisher '{Printable(userId)}' (user-id)");
        }
    }

    private static string Printable(string value) => ServiceDefaults.Input.InputRules.Scrub(value);
}
