using System.Text.Json.Nodes;
using LogisticsSync.ApiGateway.Versioning;
using LogisticsSync.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace LogisticsSync.ApiGateway.OpenApi;

/// <summary>
/// <c>GET /api/{version}/openapi.json</c>: the partner-facing document of one version, built from the
/// orchestrator's on each request (it is small, and asked for rarely), answered without an API key so a
/// partner can read what it needs before it has one.
/// </summary>
internal static class PartnerOpenApiEndpoints
{
    public const string HttpClientName = "orchestrator-openapi";
    private const string InternalDocument = "/openapi/v1.json";

    public static IEndpointRouteBuilder MapPartnerOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/{version}/openapi.json", DocumentAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> DocumentAsync(
        string version, HttpContext context, IHttpClientFactory clients, IOptionsMonitor<GatewayOptions> options, CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.Versions.TryGetValue(version, out var status) || status.Status == ApiVersionStatus.Retired)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API version", detail: $"There is no document for '{version}'.");
        }

        var client = clients.CreateClient(HttpClientName);
        client.BaseAddress = new Uri($"http://{ResourceNames.Orchestrator}");
        JsonObject internalDocument;
        try
        {
            internalDocument = (JsonObject)(await JsonNode.ParseAsync(await client.GetStreamAsync(InternalDocument, cancellationToken), cancellationToken: cancellationToken))!;
        }
        catch (HttpRequestException)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Document unavailable", detail: "The orchestrator did not answer; try again shortly.");
        }

        var server = $"{context.Request.Scheme}://{context.Request.Host}";
        return Results.Text(PartnerOpenApiDocument.For(internalDocument, version.ToLowerInvariant(), server).ToJsonString(), "application/json");
    }
}
