using System.Text.Json;
using LogisticsSync.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogisticsSync.Orchestrator.Exceptions;

/// <summary>An operator's resolution of an exception.</summary>
public sealed record ResolveExceptionRequest(string? Resolution);

/// <summary>
/// The exception queue for operations (gateway scope <c>operations</c>): list with filters, one record, resolve,
/// and retry (the parked work made due now). Identical in v1 and v2. Bad input is a problem response, never a 500.
/// </summary>
internal static class ExceptionEndpoints
{
    private const int MaxResolutionLength = 2000;

    public static IEndpointRouteBuilder MapExceptionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            var exceptions = endpoints.MapGroup($"/api/{version}/exceptions").WithTags($"Exceptions {version}");
            exceptions.MapGet("", ListAsync).WithName($"ListExceptions-{version}")
                .WithSummary("Exception records, newest first or earliest SLA due first (?status=open|resolved&type=BookingDeferred&shipmentId=…&limit=100&order=newest|sla)")
                .ProducesValidationProblem();
            // Ids are taken as text and parsed here: a malformed id is a 400 problem, not an unmatched route's bare 404.
            exceptions.MapGet("/{id}", GetAsync).WithName($"GetException-{version}").WithSummary("One exception record");
            exceptions.MapPost("/{id}/resolve", ResolveAsync).WithName($"ResolveException-{version}")
                .WithSummary("Closes the exception with an operator's resolution ({ \"resolution\": \"…\" })")
                // No Accepts<T>(): its content-type check would answer a bare 415 before the handler's problem response.
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
            exceptions.MapPost("/{id}/retry", RetryAsync).WithName($"RetryException-{version}")
                .WithSummary("Runs the parked work behind the exception now (it stays open until the work succeeds)")
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict);
        }

        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<ExceptionRecord>>, ValidationProblem>> ListAsync(
        string? status, string? type, string? shipmentId, string? limit, string? order, ExceptionStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (order is not null && order is not ("newest" or "sla"))
        {
            errors["order"] = ["must be 'newest' (opened last first) or 'sla' (due first, so the breached lead)."];
        }

        if (status is not null && status is not (ExceptionStatus.Open or ExceptionStatus.Resolved))
        {
            errors["status"] = [$"must be '{ExceptionStatus.Open}' or '{ExceptionStatus.Resolved}'."];
        }

        if (type is not null && !ExceptionTypes.ByName.ContainsKey(type))
        {
            errors["type"] = [$"must be one of: {string.Join(", ", ExceptionTypes.ByName.Keys)}."];
        }

        Guid? shipment = null;
        if (shipmentId is not null)
        {
            if (Guid.TryParse(shipmentId, out var parsed))
            {
                shipment = parsed;
            }
            else
            {
                errors["shipmentId"] = ["must be a shipment id (a UUID)."];
            }
        }

        var take = 100;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > 1000))
        {
            errors["limit"] = ["must be a whole number from 1 to 1000."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid exception query");
        }

        return TypedResults.Ok(await store.ListAsync(status, type, shipment, take, bySla: order == "sla", cancellationToken));
    }

    private static async Task<Results<Ok<ExceptionRecord>, ProblemHttpResult>> GetAsync(string id, ExceptionStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var exceptionId))
        {
            return MalformedId(id);
        }

        return await store.GetAsync(exceptionId, cancellationToken) is { } record ? TypedResults.Ok(record) : NotFound(exceptionId);
    }

    private static async Task<Results<Ok<ExceptionRecord>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        string id, HttpContext http, ExceptionStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var exceptionId))
        {
            return MalformedId(id);
        }

        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Commands are JSON", detail: "Send Content-Type: application/json.");
        }

        ResolveExceptionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<ResolveExceptionRequest>(http.Request.Body, InputJson.Options, cancellationToken);
        }
        catch (JsonException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a valid resolution", detail: InputJsonError.Describe(exception));
        }

        if (string.IsNullOrWhiteSpace(request?.Resolution) || request.Resolution.Length > MaxResolutionLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["resolution"] = [$"is required: what was done, 1-{MaxResolutionLength} characters."] },
                title: "The resolution is invalid");
        }

        var (result, record) = await store.ResolveAsync(exceptionId, request.Resolution.Trim(), cancellationToken);
        return result switch
        {
            ExceptionActionResult.Done => TypedResults.Ok(record!),
            ExceptionActionResult.AlreadyResolved => Conflict("Already resolved", $"Exception {exceptionId} was resolved at {record!.ResolvedAt:O}: {record.Resolution}"),
            _ => NotFound(exceptionId),
        };
    }

    private static async Task<Results<Accepted<ExceptionRecord>, ProblemHttpResult>> RetryAsync(string id, ExceptionStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var exceptionId))
        {
            return MalformedId(id);
        }

        var (result, record) = await store.RetryAsync(exceptionId, cancellationToken);
        return result switch
        {
            // 202: the work runs in the background; the exception resolves itself when it succeeds.
            ExceptionActionResult.Done => TypedResults.Accepted($"/api/v1/exceptions/{exceptionId}", record!),
            ExceptionActionResult.AlreadyResolved => Conflict("Already resolved", $"Exception {exceptionId} is resolved: there is nothing to retry."),
            ExceptionActionResult.NothingToRetry => Conflict("Nothing to retry", $"A {record!.Type} exception parks no work; resolve it when it is handled."),
            ExceptionActionResult.TaskRunningNow => Conflict("Running now", $"The {record!.RetryableTask} work of shipment {record.ShipmentId} is running right now; look again shortly."),
            _ => NotFound(exceptionId),
        };
    }

    private static ProblemHttpResult MalformedId(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed exception id", detail: $"'{id}' is not an exception id (a UUID).");

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Exception not found", detail: $"No exception has id {id}.");

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
