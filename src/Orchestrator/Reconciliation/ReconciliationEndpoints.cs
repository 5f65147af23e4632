using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>
/// Reconciliation for operations (gateway scope <c>operations</c>): start a run now and get its result, list runs, read
/// one run with its findings. Identical in v1 and v2.
/// </summary>
internal static class ReconciliationEndpoints
{
    public static IEndpointRouteBuilder MapReconciliationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            var runs = endpoints.MapGroup($"/api/{version}/reconciliation/runs").WithTags($"Reconciliation {version}");
            runs.MapPost("", RunAsync).WithName($"StartReconciliationRun-{version}")
                .WithSummary("Runs reconciliation now and answers with the run (findings at its link); 409 while another run is in progress")
                .ProducesProblem(StatusCodes.Status409Conflict);
            runs.MapGet("", ListAsync).WithName($"ListReconciliationRuns-{version}")
                .WithSummary("Reconciliation runs, newest first (?limit=20)")
                .ProducesValidationProblem();
            // Ids are taken as text and parsed here: a malformed id is a 400 problem, not an unmatched route's bare 404.
            runs.MapGet("/{id}", GetAsync).WithName($"GetReconciliationRun-{version}")
                .WithSummary("One reconciliation run with every finding, its evidence and what was done")
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        return endpoints;
    }

    private static async Task<Results<Created<ReconciliationRun>, ProblemHttpResult>> RunAsync(ReconciliationRunner runner, CancellationToken cancellationToken) =>
        await runner.RunAsync(RunTriggers.OnDemand, cancellationToken) is { } run
            ? TypedResults.Created(run.Links["self"], run)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A run is in progress",
                detail: "Another reconciliation run (scheduled or on demand, on any replica) is running; list the runs to see it, and try again when it finished.");

    private static async Task<Results<Ok<IReadOnlyList<ReconciliationRun>>, ValidationProblem>> ListAsync(string? limit, ReconciliationStore store, CancellationToken cancellationToken)
    {
        var take = 20;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 500))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be a whole number from 1 to 500."] }, title: "Invalid run query");
        }

        return TypedResults.Ok(await store.ListAsync(take, cancellationToken));
    }

    private static async Task<Results<Ok<ReconciliationRunDetail>, ProblemHttpResult>> GetAsync(string id, ReconciliationStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed run id", detail: $"'{id}' is not a run id (a UUID).");
        }

        return await store.GetAsync(runId, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found", detail: $"No reconciliation run has id {runId}.");
    }
}
