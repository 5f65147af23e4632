using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogisticsSync.Orchestrator.Operations;

/// <summary>
/// The operations view's read APIs (gateway scope <c>operations</c>): shipments per state with their dwell times, the
/// oldest shipments in flight, open exceptions per owning team, and business throughput per minute. Identical in v1
/// and v2. Query values are taken as text and checked here, so a bad one is a validation problem naming the field.
/// </summary>
internal static class OperationsEndpoints
{
    private const int MaxThroughputMinutes = 24 * 60;
    private const int MaxInFlight = 500;

    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            var operations = endpoints.MapGroup($"/api/{version}/operations").WithTags($"Operations {version}");
            operations.MapGet("/shipment-states", async (OperationsReads reads, CancellationToken cancellationToken) =>
                    TypedResults.Ok(await reads.StatesAsync(cancellationToken)))
                .WithName($"ShipmentStates-{version}")
                .WithSummary("Shipments per state, every state in lifecycle order, with the p50/p90/max seconds they have been in it");
            operations.MapGet("/in-flight-shipments", InFlightAsync).WithName($"InFlightShipments-{version}")
                .WithSummary("Shipments not in a terminal state, stuck ones (dwell limit breached) first, then oldest in state first (?minAgeSeconds=300&limit=50)")
                .ProducesValidationProblem();
            operations.MapGet("/exception-owners", async (OperationsReads reads, CancellationToken cancellationToken) =>
                    TypedResults.Ok(await reads.ExceptionOwnersAsync(cancellationToken)))
                .WithName($"ExceptionOwners-{version}")
                .WithSummary("Open exceptions per owning team: count, past SLA, next SLA due; teams with breaches first");
            operations.MapGet("/throughput", ThroughputAsync).WithName($"Throughput-{version}")
                .WithSummary("Shipments released, packed, booked, delivered and invoiced per minute, zero-filled (?minutes=60)")
                .ProducesValidationProblem();
        }

        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<InFlightShipment>>, ValidationProblem>> InFlightAsync(
        string? minAgeSeconds, string? limit, OperationsReads reads, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var minAge = 0;
        if (minAgeSeconds is not null && !int.TryParse(minAgeSeconds, NumberStyles.None, CultureInfo.InvariantCulture, out minAge))
        {
            errors["minAgeSeconds"] = ["must be a whole number of seconds, 0 or more."];
        }

        if (!TryParseCount(limit, 50, MaxInFlight, out var take))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxInFlight}."];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "Invalid in-flight query")
            : TypedResults.Ok(await reads.InFlightAsync(TimeSpan.FromSeconds(minAge), take, cancellationToken));
    }

    private static async Task<Results<Ok<ThroughputReport>, ValidationProblem>> ThroughputAsync(
        string? minutes, OperationsReads reads, CancellationToken cancellationToken) =>
        TryParseCount(minutes, 60, MaxThroughputMinutes, out var window)
            ? TypedResults.Ok(await reads.ThroughputAsync(window, cancellationToken))
            : TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["minutes"] = [$"must be a whole number from 1 to {MaxThroughputMinutes}."] },
                title: "Invalid throughput query");

    private static bool TryParseCount(string? text, int defaultValue, int max, out int value)
    {
        value = defaultValue;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max);
    }
}
