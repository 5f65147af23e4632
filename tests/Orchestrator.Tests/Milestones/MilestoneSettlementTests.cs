using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Protocol;
using RabbitMQ.Client;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Milestones;

/// <summary>
/// Every delivery settles, whatever a publisher put in it: applied, retried, or dead-lettered with its reason;
/// never held unacknowledged nor requeued forever. Checked against the broker's own count of unsettled messages.
/// </summary>
public sealed class MilestoneSettlementTests(QuickRetryEstateFixture estate, ITestOutputHelper output) : IClassFixture<QuickRetryEstateFixture>, IAsyncLifetime
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(45);
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);
    private IConnection _broker = null!;
    private IChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _broker = await new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
        _channel = await _broker.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    }

    /// <summary>x-attempt values no consumer of ours wrote: negative, beyond an int, not a whole number, not a number.</summary>
    public static TheoryData<string> MalformedAttempts => ["negative", "overflowing", "long-negative", "text", "fraction", "table"];

    private static object MalformedAttempt(string kind) => kind switch
    {
        "negative" => -1,
        "overflowing" => long.MaxValue,
        "long-negative" => (long)int.MinValue - 1,
        "text" => Encoding.UTF8.GetBytes("three"),
        "fraction" => 1.5,
        _ => new Dictionary<string, object?> { ["attempt"] = 1 },
    };

    [Theory]
    [MemberData(nameof(MalformedAttempts))]
    public async Task MalformedAttemptHeader_MilestoneThatCannotApply_IsDeadLetteredSayingWhy(string kind)
    {
        var eventId = Guid.NewGuid();

        await PublishMilestoneAsync(NewKey(), eventId, new Dictionary<string, object?> { ["x-attempt"] = MalformedAttempt(kind) });

        var letter = await WaitForDeadLetterAsync(l => l.GetProperty("eventId").GetString() == eventId.ToString());
        Assert.Contains("x-attempt header was malformed", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await estate.App.SettledAsync(ResourceNames.RabbitMQ, SettleTimeout, BrokerTopology.MilestonesQueue);
    }

    [Fact]
    public async Task MalformedAttemptHeader_MilestoneThatApplies_IsApplied()
    {
        var key = NewKey();
        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        using var released = await client.SendAsync(Release(ReleaseBody(key), key));
        var id = (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await PublishMilestoneAsync(key, Guid.NewGuid(), new Dictionary<string, object?> { ["x-attempt"] = -5 });

        await WaitUntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{id}")).GetProperty("state").GetString() == "Allocated");
        await estate.App.SettledAsync(ResourceNames.RabbitMQ, SettleTimeout, BrokerTopology.MilestonesQueue);
    }

    [Fact]
    public async Task MessageIdWithNul_IsDeadLetteredWithItsReason()
    {
        var routingKey = "wms.nul-" + Guid.NewGuid().ToString("N")[..8];

        await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, routingKey, mandatory: false,
            new BasicProperties { MessageId = "poison\0" + Guid.NewGuid(), Persistent = true, UserId = "wms", CorrelationId = "corr\0nul" },
            "not a cloud event"u8.ToArray());

        var letter = await WaitForDeadLetterAsync(l => l.GetProperty("routingKey").GetString() == routingKey);
        Assert.StartsWith("poison:", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("poison\uFFFD", letter.GetProperty("eventId").GetString(), StringComparison.Ordinal);
        await estate.App.SettledAsync(ResourceNames.RabbitMQ, SettleTimeout, BrokerTopology.MilestonesQueue);
    }

    [Fact]
    public async Task CloudEventIdOrSubjectWithNul_IsPoisonAtOnce()
    {
        var messageId = Guid.NewGuid().ToString();
        var body = Encoding.UTF8.GetBytes($$$"""
            {"specversion":"1.0","id":"evt\u0000{{{messageId}}}","type":"{{{ShipmentMilestone.Allocated.CloudEventType()}}}","source":"urn:logistics-sync:wms",
             "subject":"SO-\u0000x","time":"2026-12-01T10:00:00Z","datacontenttype":"application/json","data":{"orderSourceSystem":"erp"}}
            """);

        await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, "wms.allocated", mandatory: false,
            new BasicProperties { MessageId = messageId, Persistent = true, UserId = "wms", ContentType = ShipmentEventTypes.ContentType }, body);

        var letter = await WaitForDeadLetterAsync(l => l.GetProperty("eventId").GetString() == messageId);
        Assert.StartsWith("poison:", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32());
        await estate.App.SettledAsync(ResourceNames.RabbitMQ, SettleTimeout, BrokerTopology.MilestonesQueue);
    }

    [Fact]
    public async Task WmsBrokerUser_CannotPublishACarrierRoutingKey()
    {
        await using var wms = await new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ, ResourceNames.Wms)) }.CreateConnectionAsync();
        await using var channel = await wms.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        // Topic permissions: the WMS may publish wms.* only; the broker closes the channel (access refused).
        await Assert.ThrowsAnyAsync<Exception>(async () => await channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, "carrier.delivered", mandatory: false,
            new BasicProperties { MessageId = Guid.NewGuid().ToString(), Persistent = true, UserId = ResourceNames.Wms }, "{}"u8.ToArray()));
        Assert.False(channel.IsOpen);
    }

    [Fact]
    public async Task WmsBrokerUser_CannotClaimAnotherUserId()
    {
        await using var wms = await new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ, ResourceNames.Wms)) }.CreateConnectionAsync();
        await using var channel = await wms.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        await Assert.ThrowsAnyAsync<Exception>(async () => await channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, "wms.picked", mandatory: false,
            new BasicProperties { MessageId = Guid.NewGuid().ToString(), Persistent = true, UserId = "tms" }, "{}"u8.ToArray()));
    }

    [Fact]
    public async Task SourceThatDisagreesWithUserId_IsDeadLetteredWithTheReason()
    {
        var eventId = Guid.NewGuid();
        var outgoing = CanonicalEvents.Create(Guid.Empty, ShipmentMilestone.Allocated.CloudEventType(), NewKey(), "forged", DateTimeOffset.UtcNow,
            new { orderSourceSystem = "erp" }, "tms", eventId);
        await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, "wms.allocated", mandatory: false,
            new BasicProperties { MessageId = eventId.ToString(), Persistent = true, UserId = "wms", ContentType = ShipmentEventTypes.ContentType }, outgoing.Body);

        var letter = await WaitForDeadLetterAsync(l => l.GetProperty("eventId").GetString() == eventId.ToString());
        Assert.Contains("disagrees with the authenticated publisher 'wms'", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await estate.App.SettledAsync(ResourceNames.RabbitMQ, SettleTimeout, BrokerTopology.MilestonesQueue);
    }

    [Fact]
    public async Task ReplayedDeadLetter_IsAttributedToItsAuthenticatedPublisher_NotToItsRoutingKey()
    {
        var key = NewKey();
        var eventId = Guid.NewGuid();
        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        using var released = await client.SendAsync(Release(ReleaseBody(key), key));
        var id = (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        // A user without topic permissions (here the impersonating administrator) may use the WMS's routing key;
        // the broker vouches only for the user-id, 'tms', whose milestone claims to come from the WMS: poison.
        var outgoing = CanonicalEvents.Create(Guid.Empty, ShipmentMilestone.Allocated.CloudEventType(), key, "forged", DateTimeOffset.UtcNow,
            new { orderSourceSystem = "erp" }, "wms", eventId);
        await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, "wms.allocated", mandatory: false,
            new BasicProperties { MessageId = eventId.ToString(), Persistent = true, UserId = "tms", ContentType = ShipmentEventTypes.ContentType }, outgoing.Body);
        var letter = await WaitForDeadLetterAsync(l => l.GetProperty("eventId").GetString() == eventId.ToString());
        Assert.Equal("tms", letter.GetProperty("publisher").GetString());

        using var replay = await client.PostAsync($"/api/v1/dead-letters/{letter.GetProperty("id").GetInt64()}/replay", null);

        Assert.Equal(System.Net.HttpStatusCode.OK, replay.StatusCode);
        // Replayed as 'tms', not as the routing key's 'wms': dead-lettered again for the same reason, never applied.
        var again = await WaitForDeadLetterAsync(l => l.GetProperty("eventId").GetString() == eventId.ToString() && l.GetProperty("id").GetInt64() != letter.GetProperty("id").GetInt64());
        Assert.Contains("disagrees with the authenticated publisher 'tms'", again.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("tms", again.GetProperty("publisher").GetString());
        Assert.Equal("Released", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task DeadLetterWithoutUserId_IsNotReplayed()
    {
        var eventId = Guid.NewGuid();
        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        var outgoing = CanonicalEvents.Create(Guid.Empty, ShipmentMilestone.Allocated.CloudEventType(), NewKey(), "anonymous", DateTimeOffset.UtcNow,
            new { orderSourceSystem = "erp" }, "wms", eventId);
        await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, "wms.allocated", mandatory: false,
            new BasicProperties { MessageId = eventId.ToString(), Persistent = true, ContentType = ShipmentEventTypes.ContentType }, outgoing.Body);
        var letter = await WaitForDeadLetterAsync(l => l.GetProperty("eventId").GetString() == eventId.ToString());
        Assert.Equal(JsonValueKind.Null, letter.GetProperty("publisher").ValueKind);

        using var replay = await client.PostAsync($"/api/v1/dead-letters/{letter.GetProperty("id").GetInt64()}/replay", null);

        // Whoever replayed it would have to name a reporter the broker never vouched for.
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, replay.StatusCode);
    }

    private async Task PublishMilestoneAsync(string businessKey, Guid eventId, Dictionary<string, object?> headers)
    {
        var outgoing = CanonicalEvents.Create(Guid.Empty, ShipmentMilestone.Allocated.CloudEventType(), businessKey, "test-" + businessKey, DateTimeOffset.UtcNow,
            new { orderSourceSystem = "erp" }, "wms", eventId);
        await _channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, $"wms.{ShipmentMilestone.Allocated.EventName()}", mandatory: false,
            new BasicProperties { MessageId = eventId.ToString(), Persistent = true, UserId = "wms", ContentType = ShipmentEventTypes.ContentType, Headers = headers }, outgoing.Body);
    }

    private async Task<JsonElement> WaitForDeadLetterAsync(Func<JsonElement, bool> match)
    {
        using var client = estate.App.CreateHttpClient(ResourceNames.Orchestrator);
        JsonElement? found = null;
        await WaitUntilAsync(async () =>
        {
            var letters = await client.GetFromJsonAsync<JsonElement>("/api/v1/dead-letters?limit=1000");
            found = letters.EnumerateArray().Where(match).Select(l => (JsonElement?)l).FirstOrDefault();
            return found is not null;
        }, SettleTimeout);
        return found!.Value;
    }

    private static string NewKey() => "SO-" + Guid.NewGuid().ToString("N")[..12];

    public async Task DisposeAsync()
    {
        _logs.Dispose();
        await _channel.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
