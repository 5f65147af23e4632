using System.Text.Json;
using LogisticsSync.Orchestrator.Correlation;
using LogisticsSync.Orchestrator.Idempotency;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Input;
using LogisticsSync.ServiceDefaults.Protocol.Shipments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>The synchronous side of the v1 API: commands validated on the spot, queries of state and trail.</summary>
internal static class ShipmentEndpoints
{
    private const int MaxCommandBytes = 256 * 1024;
    private const string CancelCommand = "shipments.cancel";

    public static IEndpointRouteBuilder MapShipmentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            MapVersion(endpoints, version);
        }

        return endpoints;
    }

    /// <summary>v2 differs from v1 in one representation: <c>GET /shipments/{id}</c> carries the release and the trail.</summary>
    private static void MapVersion(IEndpointRouteBuilder endpoints, string version)
    {
        var shipments = endpoints.MapGroup($"/api/{version}/shipments").WithTags($"Shipments {version}");
        shipments.MapPost("", ReleaseAsync)
            .WithName($"ReleaseShipment-{version}")
            .WithSummary("ERP releases an order for shipment (Idempotency-Key required)")
            .Accepts<ReleaseShipmentRequest>("application/json")
            .Produces<ShipmentResource>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        shipments.MapPost("/{id:guid}/cancellation", CancelAsync)
            .WithName($"CancelShipment-{version}")
            .WithSummary("ERP cancels a shipment that has not left the warehouse (Idempotency-Key required)")
            .Produces<ShipmentResource>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        if (version == ApiVersions.V1)
        {
            shipments.MapGet("/{id:guid}", GetAsync).WithName($"GetShipment-{version}");
        }
        else
        {
            shipments.MapGet("/{id:guid}", GetDetailedAsync)
                .WithName($"GetShipment-{version}")
                .WithSummary("The shipment with its release (customer, lines) and its event trail embedded");
        }

        shipments.MapGet("/by-business-key/{businessKey}", GetByBusinessKeyAsync)
            .WithName($"GetShipmentByBusinessKey-{version}")
            .WithSummary("Finds a shipment by its business key (?sourceSystem=erp by default)");
        shipments.MapGet("/{id:guid}/timeline", GetTimelineAsync)
            .WithName($"GetShipmentTimeline-{version}")
            .WithSummary("The shipment's event trail: every milestone received and what it did");
    }

    private static async Task<Results<Ok<ShipmentDetail>, ProblemHttpResult>> GetDetailedAsync(Guid id, ShipmentReads store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } shipment
            ? TypedResults.Ok(new ShipmentDetail(ShipmentResource.From(shipment), shipment.Release, await store.TimelineAsync(id, cancellationToken)))
            : NotFound($"No shipment has id {id}.");

    private static async Task<IResult> ReleaseAsync(HttpContext http, ShipmentWriter store, IdempotentCommands idempotency, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadCommandAsync(http, bodyRequired: true, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        ReleaseShipmentRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<ReleaseShipmentRequest>(body, InputJson.Options);
        }
        catch (JsonException exception)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a valid release command", detail: InputJsonError.Describe(exception));
        }

        if (request is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a valid release command", detail: "The body is empty or null.");
        }

        if (ReleaseShipmentValidation.Validate(request) is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors, title: "The release command is invalid");
        }

        var canonical = request.Canonical();
        var fingerprint = CommandFingerprint.Of(ReleaseShipmentCanonical.Command, canonical);
        var correlationId = CorrelationId.Of(http);
        var scope = CommandFingerprint.Scope(http, ReleaseShipmentCanonical.Command);
        return await idempotency.ExecuteAsync(scope, http.Request.Headers[IdempotentCommands.HeaderName]!, fingerprint, async () =>
        {
            var outcome = await store.ReleaseAsync(canonical, fingerprint, correlationId, cancellationToken);
            if (!outcome.SameRequest)
            {
                return Problem(StatusCodes.Status409Conflict, "Business key already released",
                    $"Shipment {outcome.Shipment.SourceSystem}/{outcome.Shipment.BusinessKey} exists with a different release; it was not changed.");
            }

            var resource = ShipmentResource.From(outcome.Shipment);
            return new CommandResponse(StatusCodes.Status201Created, JsonSerializer.Serialize(resource, JsonSerializerOptions.Web), resource.Links["self"]);
        });
    }

    private static async Task<IResult> CancelAsync(Guid id, HttpContext http, ShipmentWriter store, IdempotentCommands idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        var (_, problem) = await ReadCommandAsync(http, bodyRequired: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var key = http.Request.Headers[IdempotentCommands.HeaderName].ToString();
        // The cancellation carries nothing but the shipment it names: that is the whole command.
        var fingerprint = CommandFingerprint.Of(CancelCommand, new { id });
        var milestone = new IncomingMilestone($"cancel:{key}", ShipmentMilestone.Cancelled, EstateSystem.Erp, CorrelationId.Of(http), time.GetUtcNow());
        return await idempotency.ExecuteAsync(CommandFingerprint.Scope(http, CancelCommand), key, fingerprint, async () =>
        {
            var outcome = await store.ApplyAsync(id, milestone, cancellationToken);
            return outcome switch
            {
                null => Problem(StatusCodes.Status404NotFound, "Shipment not found", $"No shipment has id {id}."),
                { Decision: LifecycleDecision.Applied or LifecycleDecision.Stale } =>
                    new CommandResponse(StatusCodes.Status200OK, JsonSerializer.Serialize(ShipmentResource.From(outcome.Shipment), JsonSerializerOptions.Web)),
                { Decision: LifecycleDecision.Rejected rejected } => Problem(StatusCodes.Status409Conflict, "The shipment cannot be cancelled",
                    $"Shipment {id} is {outcome.Shipment.State}: {ShipmentTrail.Describe(rejected, outcome.Shipment.State, milestone)}."),
                _ => throw new InvalidOperationException("A command is never a duplicate delivery."),
            };
        });
    }

    private static async Task<Results<Ok<ShipmentResource>, ProblemHttpResult>> GetAsync(Guid id, ShipmentReads store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } shipment
            ? TypedResults.Ok(ShipmentResource.From(shipment))
            : NotFound($"No shipment has id {id}.");

    private static async Task<Results<Ok<ShipmentResource>, ProblemHttpResult>> GetByBusinessKeyAsync(
        string businessKey, string? sourceSystem, ShipmentReads store, CancellationToken cancellationToken) =>
        await store.FindByBusinessKeyAsync(sourceSystem ?? ReleaseShipmentValidation.DefaultSourceSystem, businessKey, cancellationToken) is { } shipment
            ? TypedResults.Ok(ShipmentResource.From(shipment))
            : NotFound($"No shipment has business key {sourceSystem ?? ReleaseShipmentValidation.DefaultSourceSystem}/{businessKey}.");

    private static async Task<Results<Ok<IReadOnlyList<TrailEntry>>, ProblemHttpResult>> GetTimelineAsync(Guid id, ShipmentReads store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is null
            ? NotFound($"No shipment has id {id}.")
            : TypedResults.Ok(await store.TimelineAsync(id, cancellationToken));

    /// <summary>
    /// What every command checks first, in this order: a JSON body within the size limit (415, 413),
    /// then an <c>Idempotency-Key</c> (400). The raw body is returned for the command to parse.
    /// </summary>
    private static async Task<(byte[] Body, IResult? Problem)> ReadCommandAsync(HttpContext http, bool bodyRequired, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(http, bodyRequired, cancellationToken);
        if (body is null)
        {
            return ([], http.Request.HasJsonContentType()
                ? Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Command too large", detail: $"Commands are at most {MaxCommandBytes} bytes.")
                : Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Commands are JSON", detail: "Send Content-Type: application/json."));
        }

        return IdempotentCommands.Validate(http.Request.Headers[IdempotentCommands.HeaderName]) is { } keyProblem
            ? (body, Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid Idempotency-Key", detail: keyProblem))
            : (body, null);
    }

    /// <summary>The raw body, or null when it is too large or not JSON.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, bool bodyRequired, CancellationToken cancellationToken)
    {
        var hasBody = http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0;
        if (!hasBody && !bodyRequired)
        {
            return [];
        }

        if (!http.Request.HasJsonContentType() || http.Request.ContentLength > MaxCommandBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length > MaxCommandBytes ? null : buffer.ToArray();
    }

    private static CommandResponse Problem(int status, string title, string detail) => new(status, JsonSerializer.Serialize(
        new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail }, JsonSerializerOptions.Web));

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Shipment not found", detail: detail);
}
