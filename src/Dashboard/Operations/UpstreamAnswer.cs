using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LogisticsSync.Dashboard.Operations;

/// <summary>What the gateway answered: the status and the JSON body (a problem document when it refused).</summary>
internal sealed record UpstreamAnswer(int Status, JsonNode? Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The problem's detail (else its title), for a section of the page that could not be read.</summary>
    public string Describe() =>
        Body?["detail"]?.GetValue<string>() ?? Body?["title"]?.GetValue<string>() ?? $"the gateway answered {Status}";

    /// <summary>
    /// As the dashboard's own answer: a success as JSON, a refusal as the gateway's problem document (RFC 9457) with its
    /// status, so the page shows the orchestrator's own words (e.g. "Already resolved").
    /// </summary>
    public IResult ToResult() => IsSuccess
        ? Results.Json(Body, statusCode: Status)
        : Results.Json(Body ?? new JsonObject { ["title"] = "The gateway refused", ["status"] = Status }, statusCode: Status,
            contentType: "application/problem+json");

    public static UpstreamAnswer Problem(int status, string title, string detail) =>
        new(status, new JsonObject { ["type"] = "about:blank", ["title"] = title, ["status"] = status, ["detail"] = detail });
}
