using LogisticsSync.Simulators.Messaging;

namespace LogisticsSync.Simulators.Wms;

/// <summary>An order status query: up to <see cref="WmsApi.MaxOrders"/> order numbers.</summary>
public sealed record OrderStatusQuery(IReadOnlyList<string>? Orders);

/// <summary>The answer to a status query: the orders the WMS has, and those it never received.</summary>
public sealed record OrderStatusAnswer(IReadOnlyList<WarehouseOrderView> Orders, IReadOnlyList<string> Unknown);

/// <summary>What asking for an order's confirmations again did: how many the WMS sent.</summary>
public sealed record ConfirmationResend(string BusinessKey, int Sent);

/// <summary>
/// The WMS's order API, in its own vocabulary (<c>RECEIVED</c>, <c>ALLOCATED</c>, <c>PICKED</c>, <c>SHORT_PICKED</c>,
/// <c>PACKED</c>): one order's status, many at once, and its confirmations sent again under their own event ids.
/// </summary>
internal static class WmsApi
{
    public const int MaxOrders = 1000;

    public static IEndpointRouteBuilder MapWmsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/wms/api/orders").WithTags("WMS order API");
        api.MapGet("/{businessKey}", (string businessKey, WarehouseOrderBook book) => book.Find(businessKey) is { } order
            ? Results.Ok(order)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown order", detail: $"The WMS never received order '{businessKey}'."));
        api.MapPost("/status-query", (OrderStatusQuery query, WarehouseOrderBook book) =>
        {
            if (query.Orders is not { Count: > 0 and <= MaxOrders } orders || orders.Any(string.IsNullOrWhiteSpace))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["orders"] = [$"is required: 1 to {MaxOrders} order numbers, none empty."] },
                    title: "The status query is invalid");
            }

            var found = orders.Distinct(StringComparer.Ordinal).Select(key => (Key: key, View: book.Find(key))).ToList();
            return Results.Ok(new OrderStatusAnswer([.. found.Select(f => f.View).OfType<WarehouseOrderView>()], [.. found.Where(f => f.View is null).Select(f => f.Key)]));
        });
        api.MapPost("/{businessKey}/confirmations", ResendAsync);
        return endpoints;
    }

    private static async Task<IResult> ResendAsync(string businessKey, WarehouseOrderBook book, MilestonePublisher publisher, CancellationToken cancellationToken)
    {
        if (book.Resend(businessKey) is not { } reports)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown order", detail: $"The WMS never received order '{businessKey}'.");
        }

        foreach (var report in reports)
        {
            await publisher.PublishAsync(report, cancellationToken);
        }

        return Results.Ok(new ConfirmationResend(businessKey, reports.Count));
    }
}
