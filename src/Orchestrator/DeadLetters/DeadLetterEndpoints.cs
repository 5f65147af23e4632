using System.Text;
using System.Text.Json;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.ServiceDefaults.Messaging;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Tracing;
using Microsoft.AspNetCore.Http.HttpResults;
using RabbitMQ.Client;

namespace LogisticsSync.Orchestrator.DeadLetters;

/// <summary>Inspect the dead letters and send them back to the work queue once the cause is fixed.</summary>
internal static class DeadLetterEndpoints
{
    public static IEndpointRouteBuilder MapDeadLetterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        foreach (var version in ApiVersions.All)
        {
            var letters = endpoints.MapGroup($"/api/{version}/dead-letters").WithTags($"Dead letters {version}");
            letters.MapGet("", ListAsync).WithName($"ListDeadLetters-{version}").WithSummary("Dead letters not yet replayed (?includeReplayed=true for all)");
            letters.MapGet("/{id:long}", GetAsync).WithName($"GetDeadLetter-{version}").WithSummary("One dead letter with its message body");
            letters.MapPost("/{id:long}/replay", ReplayOneAsync).WithName($"ReplayDeadLetter-{version}").WithSummary("Publishes the message again, as a first attempt");
            letters.MapPost("/replay", ReplayAllAsync).WithName($"ReplayAllDeadLetters-{version}").WithSummary("Replays every dead letter not yet replayed that has an authenticated publisher");
        }

        return endpoints;
    }

    private static async Task<Ok<IReadOnlyList<DeadLetter>>> ListAsync(DeadLetterStore store, bool? includeReplayed, int? limit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(includeReplayed ?? false, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken));

    private static async Task<Results<Ok<DeadLetterDetail>, ProblemHttpResult>> GetAsync(long id, DeadLetterStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is var (letter, body)
            ? TypedResults.Ok(new DeadLetterDetail(letter, BodyAsJson(body), Convert.ToBase64String(body)))
            : NotFound(id);

    private static async Task<Results<Ok<DeadLetter>, ProblemHttpResult>> ReplayOneAsync(long id, DeadLetterStore store, IBrokerConnection broker, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not var (letter, body))
        {
            return NotFound(id);
        }

        if (letter.ReplayedAt is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already replayed", detail: $"Dead letter {id} was replayed at {letter.ReplayedAt:O}.");
        }

        if (letter.Publisher is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Publisher unknown",
                detail: $"Dead letter {id} has no authenticated publisher (no user-id, or dead-lettered before publishers were recorded): a replay could not say who reported it.");
        }

        if (broker.Current is not { } connection)
        {
            return BrokerUnavailable(broker);
        }

        await using var channel = await OpenConfirmingChannelAsync(connection, cancellationToken);
        await ReplayAsync(channel, store, letter, body, cancellationToken);
        return TypedResults.Ok((await store.GetAsync(id, cancellationToken))!.Value.Letter);
    }

    private static async Task<Results<Ok<ReplaySummary>, ProblemHttpResult>> ReplayAllAsync(DeadLetterStore store, IBrokerConnection broker, CancellationToken cancellationToken)
    {
        if (broker.Current is not { } connection)
        {
            return BrokerUnavailable(broker);
        }

        await using var channel = await OpenConfirmingChannelAsync(connection, cancellationToken);
        var (replayed, unattributed) = (0, 0);
        foreach (var letter in await store.ListAsync(includeReplayed: false, limit: 10_000, cancellationToken))
        {
            if (letter.Publisher is null)
            {
                unattributed++;
            }
            else if (await store.GetAsync(letter.Id, cancellationToken) is var (current, body) && current.ReplayedAt is null)
            {
                replayed += await ReplayAsync(channel, store, current, body, cancellationToken) ? 1 : 0;
            }
        }

        return TypedResults.Ok(new ReplaySummary(replayed, unattributed));
    }

    /// <summary>Publish (confirmed) first, then mark: a crash in between replays a message twice, which the inbox absorbs.</summary>
    private static async Task<bool> ReplayAsync(IChannel channel, DeadLetterStore store, DeadLetter letter, byte[] body, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = letter.EventId,
            ContentType = letter.ContentType ?? ShipmentEventTypes.ContentType,
            Type = letter.MessageType,
            CorrelationId = letter.CorrelationId,
            // Who published the original, as the broker validated it when it was dead-lettered; the orchestrator's
            // user may impersonate, so the consumer attributes the replay to that publisher. Not the routing key:
            // users without topic permissions (the administrator, a plain reference) may publish under any key.
            UserId = letter.Publisher,
            Headers = new Dictionary<string, object?>(),
        };
        // The replay is the operator's request: its trace, not the original's, which may be long gone.
        using var activity = EstateActivities.StartPublish(letter.RoutingKey, TraceContext.Current, properties.Headers);
        await channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, letter.RoutingKey, mandatory: false, properties, body, cancellationToken);
        return await store.MarkReplayedAsync(letter.Id, cancellationToken);
    }

    private static Task<IChannel> OpenConfirmingChannelAsync(IConnection connection, CancellationToken cancellationToken) =>
        connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

    private static JsonElement? BodyAsJson(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(Encoding.UTF8.GetString(body));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Answered at once rather than holding the request until the broker is back, which may be minutes.</summary>
    private static ProblemHttpResult BrokerUnavailable(IBrokerConnection broker) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Broker unavailable",
            detail: $"Not connected to RabbitMQ at {broker.Endpoint} (retrying); replay once /health reports it connected.");

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Dead letter not found", detail: $"No dead letter has id {id}.");
}

public sealed record DeadLetterDetail(DeadLetter Letter, JsonElement? Body, string BodyBase64);

/// <param name="Unattributed">Letters left waiting: without an authenticated publisher, a replay could not say who reported them.</param>
public sealed record ReplaySummary(int Replayed, int Unattributed);
