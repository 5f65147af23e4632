using System.Globalization;
using LogisticsSync.Orchestrator.Correlation;
using LogisticsSync.ServiceDefaults.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LogisticsSync.Orchestrator.CarrierWebhooks;

/// <summary>
/// Where the gateway delivers carrier webhooks it has verified (signature, freshness, the carrier's
/// own key). Stored raw in an inbox and answered 202; the partner adapter (<see cref="CarrierAdapter"/>)
/// turns them into milestones in the background, so a carrier is never held up by our processing and a
/// webhook is kept even when it cannot be placed yet. The orchestrator is internal: only the gateway reaches it.
/// </summary>
internal static class CarrierWebhookEndpoints
{
    private const string IdHeader = ProtocolHeaders.WebhookId;
    private const string TimestampHeader = ProtocolHeaders.WebhookTimestamp;

    public static IEndpointRouteBuilder MapCarrierWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            endpoints.MapPost($"/api/{version}/carrier-webhooks/{{carrierId}}", ReceiveAsync)
                .WithName($"ReceiveCarrierWebhook-{version}")
                .WithTags($"Carrier webhooks {version}")
                .WithSummary("A verified carrier webhook, stored once per carrier and webhook-id (202 new, 200 duplicate)");
        }

        return endpoints;
    }

    private static async Task<Results<Accepted<WebhookReceipt>, Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        string carrierId, HttpContext context, CarrierWebhookInbox inbox, CarrierWebhookSignal adapter, CancellationToken cancellationToken)
    {
        var webhookId = context.Request.Headers[IdHeader].ToString();
        if (webhookId.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "webhook-id missing",
                detail: $"Carrier webhooks carry the {IdHeader} header they were signed with.");
        }

        DateTimeOffset? sentAt = long.TryParse(context.Request.Headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken);

        var webhook = new CarrierWebhook(carrierId, webhookId, sentAt, body.ToArray(), context.Request.ContentType, CorrelationId.Of(context));
        if (await inbox.AddAsync(webhook, cancellationToken) is not { } id)
        {
            return TypedResults.Ok(new WebhookReceipt(null, carrierId, webhookId, "duplicate"));
        }

        adapter.Notify();
        return TypedResults.Accepted((string?)null, new WebhookReceipt(id, carrierId, webhookId, "accepted"));
    }
}

public sealed record WebhookReceipt(long? Id, string CarrierId, string WebhookId, string Status);
