namespace LogisticsSync.ServiceDefaults.Protocol.Tendering;

/// <summary>The TMS's answer: booked, rejected or unavailable (the carrier's booking API was down or rate limited).</summary>
public sealed record TenderAnswer(
    Guid TenderId,
    string? CarrierId,
    string? Outcome,
    string? BookingReference,
    string? TrackingNumber,
    string? LabelUrl,
    DateTimeOffset? EstimatedDeliveryAt,
    string? Reason,
    int? RetryAfterSeconds)
{
    public const string Booked = "booked";
    public const string Rejected = "rejected";
    public const string Unavailable = "unavailable";
}
