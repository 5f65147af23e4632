using LogisticsSync.Hosting.Chaos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LogisticsSync.Hosting.Control;

/// <summary>The body of <c>PUT /api/chaos/links/{service}/{reference}</c>.</summary>
public sealed record LinkFaultRequest(string? Mode, int LatencyMs = 0, int JitterMs = 0, int BytesPerSecond = 0);

/// <summary>
/// The fault proxies' handle for chaos runs (estate started with <c>--chaos</c>): list the links, set a link's fault,
/// clear it. A link is a service and a resource it references ("orchestrator" → "postgres").
/// </summary>
internal static class ChaosEndpoints
{
    public static void MapChaosLinks(this RouteGroupBuilder control, DistributedApplication estate)
    {
        control.MapGet("/chaos/links", () => Results.Ok(new { enabled = estate.Options.Chaos, links = estate.FaultProxies.Links }));
        control.MapPut("/chaos/links/{service}/{reference}", (string service, string reference, LinkFaultRequest request) =>
        {
            if (!Enum.TryParse<LinkFaultMode>(request.Mode, ignoreCase: true, out var mode) || int.TryParse(request.Mode, out _))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown fault mode",
                    detail: $"'{request.Mode}' is not one of: {string.Join(", ", Enum.GetNames<LinkFaultMode>().Select(n => n.ToLowerInvariant()))}.");
            }

            if (request.LatencyMs < 0 || request.JitterMs < 0 || request.BytesPerSecond < 0 || (mode == LinkFaultMode.Bandwidth && request.BytesPerSecond == 0))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid fault",
                    detail: "latencyMs, jitterMs and bytesPerSecond must not be negative; bandwidth needs bytesPerSecond.");
            }

            return Set(estate, service, reference, new LinkFault(mode, request.LatencyMs, request.JitterMs, request.BytesPerSecond));
        });
        control.MapDelete("/chaos/links/{service}/{reference}", (string service, string reference) => Set(estate, service, reference, LinkFault.None));
    }

    private static IResult Set(DistributedApplication estate, string service, string reference, LinkFault fault) =>
        estate.FaultProxies.Set(service, reference, fault)
            ? Results.Ok(new { link = $"{service}->{reference}", fault = fault.Mode.ToString().ToLowerInvariant(), fault.LatencyMs, fault.JitterMs, fault.BytesPerSecond })
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such link",
                detail: estate.Options.Chaos
                    ? $"'{service}' does not reference '{reference}' through a fault proxy. Links: {string.Join(", ", estate.FaultProxies.Links)}."
                    : "The estate was not started with --chaos: no fault proxies.");
}
