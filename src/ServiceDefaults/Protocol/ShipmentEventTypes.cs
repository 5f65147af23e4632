namespace LogisticsSync.ServiceDefaults.Protocol;

/// <summary>
/// Canonical events on the wire: CloudEvents 1.0 in structured JSON mode, type <c>logistics.shipment.{milestone}.v1</c>,
/// source <c>urn:logistics-sync:{system}</c>, subject the business key, and a <c>correlationid</c> extension.
/// </summary>
public static class ShipmentEventTypes
{
    public const string ContentType = "application/cloudevents+json";

    /// <summary>The CloudEvents extension attribute that carries the correlation id.</summary>
    public const string CorrelationIdExtension = "correlationid";

    /// <summary>
    /// In a partner's milestone data: the system whose order number the subject is, when it is not the default
    /// (<c>erp</c>); not the reporting system, which is the event's source.
    /// </summary>
    public const string OrderSourceSystemField = "orderSourceSystem";

    /// <summary>The prefix of the CloudEvents source of events a system of the estate reports.</summary>
    public const string SourcePrefix = "urn:logistics-sync:";

    private const string TypePrefix = "logistics.shipment.";
    private const string TypeSuffix = ".v1";

    /// <summary>The CloudEvents type of a milestone (a name of <see cref="MilestoneNames"/>), e.g. <c>logistics.shipment.out-for-delivery.v1</c>.</summary>
    public static string Of(string milestone) => $"{TypePrefix}{milestone}{TypeSuffix}";

    /// <summary>The milestone name a type carries, or null when it is no shipment event of this version.</summary>
    public static string? MilestoneOf(string type) =>
        type.StartsWith(TypePrefix, StringComparison.Ordinal) && type.EndsWith(TypeSuffix, StringComparison.Ordinal) && type.Length > TypePrefix.Length + TypeSuffix.Length
            ? type[TypePrefix.Length..^TypeSuffix.Length]
            : null;

    /// <summary>The CloudEvents source of events a system of the estate reports: <c>urn:logistics-sync:{system}</c>.</summary>
    public static Uri SourceOf(string system) => new($"{SourcePrefix}{system.ToLowerInvariant()}");
}
