using System.Text;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Tms;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>
/// The carrier's booking API, called by the TMS (docs/flows.md): <c>POST /carrier/api/bookings</c> behind the carrier's
/// fault profile (outage 503, rate limit 429 with <c>Retry-After</c>, latency, error share 500), then 201 booked or
/// 422 rejected, the same again for a repeated tender id. Labels and proofs of delivery can be fetched by tracking number.
/// </summary>
internal static class CarrierApi
{
    public static IEndpointRouteBuilder MapCarrierApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/carrier/api").WithTags("Carrier booking API");
        api.MapPost("/bookings", Book)
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<SystemApiFaults>().InvokeAsync(context, next));
        api.MapGet("/bookings", (BookingDesk desk) => TypedResults.Ok(desk.Report()));
        api.MapGet("/labels/{trackingNumber}", (string trackingNumber, BookingDesk desk) => Document(desk, trackingNumber, Label));
        api.MapGet("/pod/{trackingNumber}", (string trackingNumber, BookingDesk desk) => Document(desk, trackingNumber, booking => $"PROOF OF DELIVERY {booking.TrackingNumber} {booking.BusinessKey}\n"));
        endpoints.MapGet("/carrier/journeys", (JourneyDriver journeys) => TypedResults.Ok(journeys.Report()));
        return endpoints;
    }

    private static IResult Book(TenderRequest tender, HttpContext context, BookingDesk desk)
    {
        if (tender.Validate(context.Request.Headers[TenderRequest.IdempotencyKeyHeader]) is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors, title: "The tender is invalid");
        }

        var (decision, repeat) = desk.Book(tender);
        if (repeat)
        {
            context.Response.Headers[ProtocolHeaders.IdempotentReplayed] = "true";
        }

        return decision.Booking is { } booking
            ? TypedResults.Created($"/carrier/api/labels/{booking.TrackingNumber}", booking.Confirmation)
            : Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Tender rejected", detail: decision.Detail,
                extensions: new Dictionary<string, object?> { ["reason"] = decision.Reason });
    }

    private static IResult Document(BookingDesk desk, string trackingNumber, Func<Booking, string> render) =>
        desk.Find(trackingNumber) is { } booking
            ? Results.Text(render(booking), "text/plain", Encoding.UTF8)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown tracking number", detail: $"No booking has tracking number '{trackingNumber}'.");

    /// <summary>A shipping label in ZPL, the printer language most carrier labels are sent in.</summary>
    private static string Label(Booking booking) =>
        $"^XA^CF0,40^FO40,40^FD{booking.BookingReference}^FS^FO40,100^FD{booking.ShipTo.Name}^FS^FO40,150^FD{booking.ShipTo.PostalCode} {booking.ShipTo.City} {booking.ShipTo.Country}^FS^BY3^FO40,220^BCN,120,Y,N,N^FD{booking.TrackingNumber}^FS^XZ\n";
}
