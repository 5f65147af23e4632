using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LogisticsSync.Dashboard.Operations;

/// <summary>
/// The operations page's JSON, inside the control API's authenticated group (control token or dashboard session;
/// state-changing calls also pass the browser guard, as resource commands do): one overview per poll, a shipment with
/// its timeline, and the operator's actions. Ids and bodies are checked here, so bad input is a problem response
/// before anything reaches the gateway; the orchestrator's own refusals come back as its problem documents.
/// </summary>
internal static class OperationsApi
{
    private const int MaxResolutionLength = 2000;
    private const int FindingsShown = 100;

    /// <summary>The overview's sections and where each is read; the latest reconciliation run is read apart (two calls).</summary>
    private static readonly (string Name, string Path)[] Sections =
    [
        ("states", "operations/shipment-states"),
        ("inFlight", "operations/in-flight-shipments?limit=25"),
        ("exceptionOwners", "operations/exception-owners"),
        ("exceptions", "exceptions?status=open&order=sla&limit=50"),
        ("deadLetters", "dead-letters?limit=50"),
        ("throughput", "operations/throughput?minutes=60"),
    ];

    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api, OperationsClient client)
    {
        var operations = api.MapGroup("/operations");
        operations.MapGet("", (CancellationToken cancellationToken) => OverviewAsync(client, cancellationToken));
        operations.MapGet("/shipments/{id}", async (string id, CancellationToken cancellationToken) => Guid.TryParse(id, out var shipmentId)
            ? (await client.GetAsync($"shipments/{shipmentId}", cancellationToken)).ToResult()
            : MalformedId("shipment", id, "a UUID"));
        operations.MapPost("/exceptions/{id}/resolve", (string id, HttpRequest request, CancellationToken cancellationToken) =>
            ResolveAsync(client, id, request, cancellationToken));
        operations.MapPost("/exceptions/{id}/retry", async (string id, CancellationToken cancellationToken) => Guid.TryParse(id, out var exceptionId)
            ? (await client.PostAsync($"exceptions/{exceptionId}/retry", body: null, cancellationToken)).ToResult()
            : MalformedId("exception", id, "a UUID"));
        operations.MapPost("/dead-letters/{id}/replay", async (string id, CancellationToken cancellationToken) =>
            long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var letterId)
                ? (await client.PostAsync($"dead-letters/{letterId}/replay", body: null, cancellationToken)).ToResult()
                : MalformedId("dead letter", id, "a positive whole number"));
        return api;
    }

    /// <summary>Every section read in parallel; one that fails is null with its reason under <c>problems</c>, the rest still show.</summary>
    private static async Task<IResult> OverviewAsync(OperationsClient client, CancellationToken cancellationToken)
    {
        var latestRun = LatestRunAsync(client, cancellationToken);
        var answers = await Task.WhenAll(Sections.Select(s => client.GetAsync(s.Path, cancellationToken)));
        var overview = new JsonObject { ["readAt"] = DateTimeOffset.UtcNow };
        var problems = new JsonObject();
        foreach (var ((name, _), answer) in Sections.Zip(answers))
        {
            overview[name] = answer.IsSuccess ? answer.Body : null;
            if (!answer.IsSuccess)
            {
                problems[name] = answer.Describe();
            }
        }

        var (run, runProblem) = await latestRun;
        overview["reconciliation"] = run;
        if (runProblem is not null)
        {
            problems["reconciliation"] = runProblem;
        }

        overview["problems"] = problems;
        return Results.Json(overview);
    }

    /// <summary>The newest run with its first findings (a run over thousands of shipments may find many; the page shows a page).</summary>
    private static async Task<(JsonNode? Run, string? Problem)> LatestRunAsync(OperationsClient client, CancellationToken cancellationToken)
    {
        var runs = await client.GetAsync("reconciliation/runs?limit=1", cancellationToken);
        if (!runs.IsSuccess)
        {
            return (null, runs.Describe());
        }

        if (runs.Body is not JsonArray { Count: > 0 } list || list[0]?["id"]?.GetValue<string>() is not { } id)
        {
            return (null, null);
        }

        var run = await client.GetAsync($"reconciliation/runs/{id}", cancellationToken);
        if (!run.IsSuccess || run.Body?["findings"] is not JsonArray findings)
        {
            return (null, run.Describe());
        }

        var total = findings.Count;
        while (findings.Count > FindingsShown)
        {
            findings.RemoveAt(findings.Count - 1);
        }

        run.Body["findingsTotal"] = total;
        return (run.Body, null);
    }

    private static async Task<IResult> ResolveAsync(OperationsClient client, string id, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var exceptionId))
        {
            return MalformedId("exception", id, "a UUID");
        }

        if (!request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Actions are JSON", detail: "Send Content-Type: application/json.");
        }

        string? resolution;
        try
        {
            resolution = (await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken))?["resolution"]?.GetValue<string>();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a resolution",
                detail: "Send { \"resolution\": \"what was done\" }.");
        }

        if (string.IsNullOrWhiteSpace(resolution) || resolution.Length > MaxResolutionLength)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["resolution"] = [$"is required: what was done, 1-{MaxResolutionLength} characters."] },
                title: "The resolution is invalid");
        }

        return (await client.PostAsync($"exceptions/{exceptionId}/resolve", new { resolution = resolution.Trim() }, cancellationToken)).ToResult();
    }

    private static IResult MalformedId(string what, string id, string form) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Malformed {what} id", detail: $"'{id}' is not a {what} id ({form}).");
}
