namespace LogisticsSync.Simulators.Carriers;

/// <summary>One status in a carrier's tracking record, in the carrier's own code (<c>DELIVERED</c>, <c>DLV</c>).</summary>
public sealed record TrackingEvent(string Status, DateTimeOffset OccurredAt);

/// <summary>A shipment as the carrier tracks it: its booking, the latest status that happened, and every status so far.</summary>
public sealed record TrackingRecord(
    string TrackingNumber,
    string BookingReference,
    string BusinessKey,
    string? Status,
    DateTimeOffset? StatusAt,
    IReadOnlyList<TrackingEvent> Events);

/// <summary>A tracking query: up to <see cref="CarrierTrackingApi.MaxShipments"/> tracking numbers.</summary>
public sealed record TrackingQuery(IReadOnlyList<string>? TrackingNumbers);

/// <summary>The carrier's records of the shipments it has, and the tracking numbers it does not know.</summary>
public sealed record TrackingAnswer(string CarrierId, IReadOnlyList<TrackingRecord> Shipments, IReadOnlyList<string> Unknown);

/// <summary>What a push did: how many status webhooks the carrier sent again.</summary>
public sealed record TrackingPush(string TrackingNumber, int Sent);

/// <summary>
/// The carrier's tracking API, in its own status vocabulary: one shipment, many at once, and a push that sends its
/// statuses again as webhooks (the way a carrier's "resend notifications" button does). Outside the booking API's
/// fault profile: a reconciliation must see what the carrier recorded.
/// </summary>
internal static class CarrierTrackingApi
{
    public const int MaxShipments = 1000;

    public static IEndpointRouteBuilder MapCarrierTrackingApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/carrier/api/tracking").WithTags("Carrier tracking API");
        api.MapGet("/{trackingNumber}", (string trackingNumber, JourneyDriver journeys) => journeys.Track(trackingNumber) is { } record
            ? Results.Ok(record)
            : UnknownTrackingNumber(trackingNumber));
        api.MapPost("/query", (TrackingQuery query, JourneyDriver journeys, CarrierIdentity carrier) =>
        {
            if (query.TrackingNumbers is not { Count: > 0 and <= MaxShipments } numbers || numbers.Any(string.IsNullOrWhiteSpace))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["trackingNumbers"] = [$"is required: 1 to {MaxShipments} tracking numbers, none empty."] },
                    title: "The tracking query is invalid");
            }

            var found = numbers.Distinct(StringComparer.Ordinal).Select(number => (Number: number, Record: journeys.Track(number))).ToList();
            return Results.Ok(new TrackingAnswer(carrier.Id, [.. found.Select(f => f.Record).OfType<TrackingRecord>()], [.. found.Where(f => f.Record is null).Select(f => f.Number)]));
        });
        api.MapPost("/{trackingNumber}/push", async (string trackingNumber, JourneyDriver journeys, CancellationToken cancellationToken) =>
            await journeys.PushAsync(trackingNumber, cancellationToken) is { } sent
                ? Results.Ok(new TrackingPush(trackingNumber, sent))
                : UnknownTrackingNumber(trackingNumber));
        return endpoints;
    }

    private static IResult UnknownTrackingNumber(string trackingNumber) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown tracking number", detail: $"No booking has tracking number '{trackingNumber}'.");
}
