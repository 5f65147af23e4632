using LogisticsSync.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace LogisticsSync.Orchestrator.Estate;

/// <summary>Estate-level probes that go through the real dependencies, unlike the health endpoints.</summary>
internal static class EstateEndpoints
{
    public static IEndpointRouteBuilder MapEstateEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            endpoints.MapGroup($"/api/{version}/estate").MapGet("/ping", PingAsync);
        }

        return endpoints;
    }

    /// <summary>
    /// Answers which replica served the request and that it reached PostgreSQL, so a caller going
    /// through the gateway can see load balancing and database connectivity end to end.
    /// </summary>
    private static async Task<Results<Ok<EstatePing>, ProblemHttpResult>> PingAsync(
        NpgsqlDataSource dataSource,
        ServiceIdentity identity,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        string serverVersion;
        try
        {
            await using var command = dataSource.CreateCommand("SHOW server_version");
            serverVersion = (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "unknown";
        }
        catch (NpgsqlException exception)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "PostgreSQL is unavailable",
                detail: exception.Message);
        }

        return TypedResults.Ok(new EstatePing(ResourceNames.Orchestrator, identity.InstanceId, serverVersion, time.GetUtcNow()));
    }
}

internal sealed record EstatePing(string Service, string Instance, string Postgres, DateTimeOffset Time);
