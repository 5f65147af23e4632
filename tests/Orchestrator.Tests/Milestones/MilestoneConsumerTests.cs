using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults;
using RabbitMQ.Client;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Milestones;

/// <summary>An orchestrator estate whose retries are quick, so dead-lettering happens within a test.</summary>
public sealed class QuickRetryEstateFixture : OrchestratorEstateFixture
{
    protected override void Configure(DistributedApplicationBuilder builder) =>
        builder.GetResource<ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
        {
            context.Variables["Milestones__RetryDelays__0"] = "00:00:00.200";
            context.Variables["Milestones__RetryDelays__1"] = "00:00:00.400";
            context.Variables["Milestones__RetryDelays__2"] = "00:00:00.800";
        });
}

public sealed class MilestoneConsumerTests(QuickRetryEstateFixture estate, ITestOutputHelper output) : IClassFixture<QuickRetryEstateFixture>, IAsyncLifetime
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);
    private IConnection _broker = null!;
    private IChannel _channel = null!;

    private static readonly (ShipmentMilestone Milestone, string Source)[] HappyPath =
    [
        (ShipmentMilestone.Allocated, "wms"), (ShipmentMilestone.Picked, "wms"), (ShipmentMilestone.Packed, "wms"),
        (ShipmentMilestone.Tendered, "tms"), (ShipmentMilestone.Booked, "tms"),
        (ShipmentMilestone.InTransit, "carrier"), (ShipmentMilestone.OutForDelivery, "carrier"), (ShipmentMilestone.Delivered, "carrier"),
    ];

    public async Task InitializeAsync()
    {
        _broker = await new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
        _channel = await _broker.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    }

    [Fact]
    public async Task SameEventDeliveredThreeTimes_HasOneEffect()
    {
        var (key, id) = await ReleaseAsync();
        var eventId = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            await PublishAsync(key, ShipmentMilestone.Allocated, "wms", eventId);
        }

        await WaitUntilAsync(async () => await estate.CountAsync("SELECT count(*) FROM inbox WHERE event_id = $1", eventId.ToString()) == 1);
        await Task.Delay(500);
        var shipment = await GetAsync(id);
        Assert.Equal("Allocated", shipment.GetProperty("state").GetString());
        Assert.Equal(2, shipment.GetProperty("version").GetInt32());
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipment_events WHERE event_id = $1", eventId.ToString()));
        Assert.Equal(2, await estate.CountAsync("SELECT count(*) FROM outbox WHERE shipment_id = $1", id));
    }

    [Fact]
    public async Task ShuffledMilestones_EndInTheSameStateAsInOrder()
    {
        var (inOrderKey, inOrderId) = await ReleaseAsync();
        var (shuffledKey, shuffledId) = await ReleaseAsync();
        var shuffled = HappyPath.OrderBy(_ => Random.Shared.Next()).ToList();
        output.WriteLine("shuffled: " + string.Join(", ", shuffled.Select(s => s.Milestone)));

        foreach (var (milestone, source) in HappyPath)
        {
            await PublishAsync(inOrderKey, milestone, source);
        }

        foreach (var (milestone, source) in shuffled)
        {
            await PublishAsync(shuffledKey, milestone, source);
        }

        await WaitForInboxAsync(inOrderId, HappyPath.Length);
        await WaitForInboxAsync(shuffledId, HappyPath.Length);
        var inOrder = await GetAsync(inOrderId);
        var reordered = await GetAsync(shuffledId);
        Assert.Equal("Delivered", inOrder.GetProperty("state").GetString());
        Assert.Equal(inOrder.GetProperty("state").GetString(), reordered.GetProperty("state").GetString());
        Assert.Equal(0, await estate.CountAsync(
            "SELECT count(*) FROM (SELECT milestone FROM shipment_events WHERE shipment_id = $1 AND outcome IN ('applied', 'skipped') GROUP BY milestone HAVING count(*) > 1) twice", shuffledId));
    }

    [Fact]
    public async Task MilestoneFromANonOwner_IsRejectedAndRecordedAsGovernanceViolation()
    {
        var (key, id) = await ReleaseAsync();
        var eventId = Guid.NewGuid();

        await PublishAsync(key, ShipmentMilestone.Picked, "carrier", eventId);

        await WaitUntilAsync(async () => await estate.CountAsync("SELECT count(*) FROM shipment_events WHERE event_id = $1", eventId.ToString()) == 1);
        Assert.Equal("Released", (await GetAsync(id)).GetProperty("state").GetString());
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM shipment_events WHERE event_id = $1 AND outcome = 'rejected-not-owner'", eventId.ToString()));
    }

    [Fact]
    public async Task PoisonMessage_IsDeadLetteredAtOnceAndListed()
    {
        await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, "wms.garbage", mandatory: false,
            new BasicProperties { MessageId = "poison-" + Guid.NewGuid(), Persistent = true, UserId = "wms", Type = "garbage.v1", CorrelationId = "corr-poison" },
            "not a cloud event"u8.ToArray());

        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        var letter = await WaitForDeadLetterAsync(client, l => l.GetProperty("routingKey").GetString() == "wms.garbage");
        Assert.StartsWith("poison:", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32());
        // Kept for the replay, which publishes the message with the properties it came with.
        Assert.Equal("garbage.v1", letter.GetProperty("messageType").GetString());
        Assert.Equal("corr-poison", letter.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task MilestoneBeforeItsShipment_RetriesThenDeadLetters_AndReplaysOnceReleased()
    {
        var key = NewKey();
        var eventId = Guid.NewGuid();
        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);

        await PublishAsync(key, ShipmentMilestone.Allocated, "wms", eventId);
        var letter = await WaitForDeadLetterAsync(client, l => l.GetProperty("eventId").GetString() == eventId.ToString());
        Assert.Equal(4, letter.GetProperty("attempts").GetInt32());
        // Retries carried the WMS's user-id on (the orchestrator impersonates), and the dead letter keeps it for the replay.
        Assert.Equal("wms", letter.GetProperty("publisher").GetString());

        // The fix: the order is released after all. Then the dead letter is replayed.
        using var released = await client.SendAsync(Release(ReleaseBody(key), key));
        var id = (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var replay = await client.PostAsync($"/api/v1/dead-letters/{letter.GetProperty("id").GetInt64()}/replay", null);
        using var replayAgain = await client.PostAsync($"/api/v1/dead-letters/{letter.GetProperty("id").GetInt64()}/replay", null);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, replayAgain.StatusCode);
        await WaitUntilAsync(async () => (await GetAsync(Guid.Parse(id))).GetProperty("state").GetString() == "Allocated");
    }

    [Fact]
    public async Task TwoReplicas_ThousandEventsWithDuplicatesAndAKilledReplica_EachAppliedExactlyOnce()
    {
        var shipments = new List<(string Key, Guid Id)>();
        for (var i = 0; i < 200; i++)
        {
            shipments.Add(await ReleaseAsync());
        }

        var events = shipments
            .SelectMany(s => HappyPath.Take(5).Select(step => (s.Key, step.Milestone, step.Source, EventId: Guid.NewGuid())))
            .ToList();
        var deliveries = events.Concat(events.Where((_, i) => i % 10 == 0)).OrderBy(_ => Random.Shared.Next()).ToList();
        var publishing = Task.WhenAll(deliveries.Select(e => PublishAsync(e.Key, e.Milestone, e.Source, e.EventId)));

        // Chaos: a replica dies mid-stream, between some commit and its ack; its unacked messages are redelivered.
        await WaitUntilAsync(async () => await CountInboxAsync(shipments) >= 300);
        await estate.App.ExecuteCommandAsync(ResourceNames.Orchestrator, ResourceCommand.Kill, replica: 0);
        await publishing;

        await WaitUntilAsync(async () => await CountInboxAsync(shipments) == events.Count, TimeSpan.FromSeconds(120));
        var ids = shipments.Select(s => s.Id).ToArray();
        Assert.Equal(0, await estate.CountAsync("""
            SELECT count(*) FROM (SELECT shipment_id, milestone FROM shipment_events
                                  WHERE shipment_id = ANY($1) AND outcome IN ('applied', 'skipped')
                                  GROUP BY shipment_id, milestone HAVING count(*) <> 1) wrong
            """, ids));
        Assert.Equal(200, await estate.CountAsync("SELECT count(*) FROM shipments WHERE id = ANY($1) AND state = 'Booked'", ids));
        await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task WorkflowLatency_SpansEachStageFromTheTrail_ForwardJumpsIncluded()
    {
        var prefix = "WL-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (stepwiseKey, stepwise) = await ReleaseAsync(prefix + "1");
        var (jumpKey, jump) = await ReleaseAsync(prefix + "2");
        foreach (var (milestone, source) in HappyPath.Take(3))
        {
            await PublishAsync(stepwiseKey, milestone, source);
        }

        await PublishAsync(jumpKey, ShipmentMilestone.Packed, "wms");
        await WaitForInboxAsync(stepwise, 3);
        await WaitForInboxAsync(jump, 1);

        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        var report = await client.GetFromJsonAsync<JsonElement>(
            $"/api/v2/estate/workflow-latency?since={Uri.EscapeDataString(since.ToString("O"))}&businessKeyPrefix={prefix}");

        Assert.Equal(2, report.GetProperty("shipmentsReleased").GetInt64());
        var stages = report.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(
            ["Released → Packed", "Packed → Booked", "Booked → Delivered", "Delivered → Invoiced", "Released → Invoiced"],
            stages.Select(s => s.GetProperty("stage").GetString()));
        // Both reached Packed, the jump through its skipped rows; the longest span is the trail's own figure.
        Assert.Equal(2, stages[0].GetProperty("shipments").GetInt64());
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(estate.App.GetConnectionString(ResourceNames.Database));
        await using var longest = dataSource.CreateCommand("""
            SELECT max(extract(epoch FROM reached - created_at) * 1000)::float8 FROM (
                SELECT s.created_at, min(e.recorded_at) AS reached FROM shipments s JOIN shipment_events e ON e.shipment_id = s.id
                WHERE s.id = ANY($1) AND e.milestone = 'packed' AND e.outcome IN ('applied', 'skipped') GROUP BY s.id, s.created_at) spans
            """);
        longest.Parameters.Add(new Npgsql.NpgsqlParameter { Value = new[] { stepwise, jump } });
        Assert.Equal((double)(await longest.ExecuteScalarAsync())!, stages[0].GetProperty("maxMs").GetDouble(), precision: 3);
        Assert.Equal(0, stages[1].GetProperty("shipments").GetInt64());
        Assert.Equal(JsonValueKind.Null, stages[1].GetProperty("p99Ms").ValueKind);

        using var invalid = await client.GetAsync("/api/v1/estate/workflow-latency?since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
    }

    public async Task DisposeAsync()
    {
        _logs.Dispose();
        await _channel.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private Task<long> CountInboxAsync(List<(string Key, Guid Id)> shipments) => estate.CountAsync("""
        SELECT count(DISTINCT e.event_id) FROM shipment_events e WHERE e.shipment_id = ANY($1) AND e.milestone <> 'released' AND e.outcome <> 'skipped'
        """, shipments.Select(s => s.Id).ToArray());

    private async Task WaitForInboxAsync(Guid shipmentId, int count) =>
        await WaitUntilAsync(async () => await estate.CountAsync(
            "SELECT count(DISTINCT event_id) FROM shipment_events WHERE shipment_id = $1 AND milestone <> 'released' AND outcome <> 'skipped'", shipmentId) == count);

    private async Task<(string Key, Guid Id)> ReleaseAsync(string? businessKey = null)
    {
        var key = businessKey ?? NewKey();
        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        using var response = await client.SendAsync(Release(ReleaseBody(key), key));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (key, Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
    }

    private Task PublishAsync(string businessKey, ShipmentMilestone milestone, string source, Guid? eventId = null) =>
        PublishMilestoneAsync(_channel, businessKey, milestone, source, eventId);

    private async Task<JsonElement> GetAsync(Guid id)
    {
        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{id}");
    }

    private static async Task<JsonElement> WaitForDeadLetterAsync(HttpClient client, Func<JsonElement, bool> match)
    {
        JsonElement? found = null;
        await WaitUntilAsync(async () =>
        {
            var letters = await client.GetFromJsonAsync<JsonElement>("/api/v1/dead-letters");
            found = letters.EnumerateArray().Where(match).Select(l => (JsonElement?)l).FirstOrDefault();
            return found is not null;
        });
        return found!.Value;
    }

    private static string NewKey() => "SO-" + Guid.NewGuid().ToString("N")[..12];
}
