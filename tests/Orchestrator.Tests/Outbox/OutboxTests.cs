using System.Net;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults;
using RabbitMQ.Client;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Outbox;

public sealed class OutboxTests(OrchestratorEstateFixture estate, ITestOutputHelper output) : IClassFixture<OrchestratorEstateFixture>, IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task Release_CommittedShipment_IsPublishedAsStructuredCloudEvent()
    {
        await using var observer = await EventObserver.StartAsync(estate.App);
        using var client = estate.Replica(0);
        var key = "SO-" + Guid.NewGuid().ToString("N")[..12];
        using var request = Release(ReleaseBody(key), key);
        request.Headers.Add("X-Correlation-ID", "corr-" + key);

        using var response = await client.SendAsync(request);
        var events = await observer.WaitForAsync(1, key);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cloudEvent = Assert.Single(events);
        Assert.Equal("logistics.shipment.released.v1", cloudEvent.Type);
        Assert.Equal(key, cloudEvent.Subject);
        Assert.Equal("corr-" + key, cloudEvent[CanonicalEvents.CorrelationIdAttribute]);
    }

    [Fact]
    public async Task RetentionSweep_DeletesOldPublishedRowsAndOldInboxEntries_KeepsUnsentAndRecentOnes()
    {
        var tag = Guid.NewGuid().ToString("N");
        var shipment = Guid.NewGuid();
        await estate.CountAsync("""
            WITH rows AS (
                INSERT INTO outbox (event_id, shipment_id, event_type, routing_key, body, created_at, published_at)
                VALUES (gen_random_uuid(), $1, 'old-sent', 'retention.test', '\x00', now() - interval '3 hours', now() - interval '2 hours'),
                       (gen_random_uuid(), $1, 'old-unsent', 'retention.test', '\x00', now() - interval '3 hours', NULL),
                       (gen_random_uuid(), $1, 'recent-sent', 'retention.test', '\x00', now(), now())
                RETURNING 1)
            SELECT count(*) FROM rows
            """, shipment);
        await estate.CountAsync("""
            WITH rows AS (
                INSERT INTO inbox (consumer, event_id, received_at)
                VALUES ('retention-test', $1 || '-old', now() - interval '2 hours'), ('retention-test', $1 || '-recent', now())
                RETURNING 1)
            SELECT count(*) FROM rows
            """, tag);

        await WaitUntilAsync(async () =>
            await estate.CountAsync("SELECT count(*) FROM outbox WHERE shipment_id = $1 AND event_type = 'old-sent'", shipment) == 0
            && await estate.CountAsync("SELECT count(*) FROM inbox WHERE event_id = $1", tag + "-old") == 0);

        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM outbox WHERE shipment_id = $1 AND event_type = 'old-unsent'", shipment));
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM outbox WHERE shipment_id = $1 AND event_type = 'recent-sent'", shipment));
        Assert.Equal(1, await estate.CountAsync("SELECT count(*) FROM inbox WHERE event_id = $1", tag + "-recent"));
        // The unsent row would otherwise wait for a broker that cannot route it; it is test data.
        await estate.CountAsync("WITH gone AS (DELETE FROM outbox WHERE shipment_id = $1 RETURNING 1) SELECT count(*) FROM gone", shipment);
    }

    [Fact]
    public async Task BrokerStopped_CommandsKeepComing_EveryEventPublishedOnceWhenItReturns()
    {
        await using (var observer = await EventObserver.StartAsync(estate.App))
        {
            await observer.DetachAsync();
        }

        await estate.App.ExecuteCommandAsync(ResourceNames.RabbitMQ, ResourceCommand.Stop);
        var keys = Enumerable.Range(0, 20).Select(i => $"SO-OUTAGE-{i:00}-{Guid.NewGuid():N}"[..24]).ToList();
        try
        {
            foreach (var (key, i) in keys.Select((k, i) => (k, i)))
            {
                using var response = await estate.Replica(i % 2).SendAsync(Release(ReleaseBody(key), key));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            Assert.Equal(20, await estate.CountAsync(
                "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key = ANY($1) AND o.published_at IS NULL", (object)keys.ToArray()));
        }
        finally
        {
            await estate.App.ExecuteCommandAsync(ResourceNames.RabbitMQ, ResourceCommand.Start);
            await estate.App.WaitForHealthyAsync(TimeSpan.FromSeconds(90));
        }

        await using var reattached = await EventObserver.AttachAsync(estate.App);
        var events = await reattached.WaitForAsync(20, [.. keys], until: TimeSpan.FromSeconds(60));
        Assert.Equal(20, events.Count);
        Assert.Equal(20, events.Select(e => e.Id).Distinct().Count());
        Assert.Equal(0, await estate.CountAsync(
            "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key = ANY($1) AND o.published_at IS NULL", (object)keys.ToArray()));
    }

    public void Dispose() => _logs.Dispose();

    /// <summary>A durable queue bound to every canonical event, read by the test.</summary>
    private sealed class EventObserver : IAsyncDisposable
    {
        private static readonly string QueueName = "test.observer." + Guid.NewGuid().ToString("N")[..8];
        private readonly IConnection _connection;
        private readonly IChannel _channel;
        private bool _keepQueue;

        private EventObserver(IConnection connection, IChannel channel)
        {
            _connection = connection;
            _channel = channel;
        }

        public static async Task<EventObserver> StartAsync(DistributedApplication app)
        {
            var observer = await AttachAsync(app);
            await observer._channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false);
            await observer._channel.QueuePurgeAsync(QueueName);
            await observer._channel.QueueBindAsync(QueueName, BrokerTopology.EventsExchange, "#");
            return observer;
        }

        public static async Task<EventObserver> AttachAsync(DistributedApplication app)
        {
            var connection = await new ConnectionFactory { Uri = new Uri(app.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
            return new EventObserver(connection, await connection.CreateChannelAsync());
        }

        /// <summary>Leave the queue on the broker (it must survive a broker restart) and close the connection.</summary>
        public async Task DetachAsync()
        {
            _keepQueue = true;
            await DisposeAsync();
        }

        /// <summary>The events about these business keys, once <paramref name="count"/> arrived, plus any duplicate that follows.</summary>
        public async Task<List<CloudNative.CloudEvents.CloudEvent>> WaitForAsync(int count, string[] subjects, TimeSpan? until = null)
        {
            var deadline = DateTime.UtcNow + (until ?? TimeSpan.FromSeconds(20));
            var events = new List<CloudNative.CloudEvents.CloudEvent>();
            while (events.Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {events.Count} of {count} events arrived");
                if (!await TryTakeAsync(subjects, events))
                {
                    await Task.Delay(50);
                }
            }

            // Anything more would be a duplicate: give it a moment to show up.
            await Task.Delay(500);
            while (await TryTakeAsync(subjects, events))
            {
            }

            return events;
        }

        public Task<List<CloudNative.CloudEvents.CloudEvent>> WaitForAsync(int count, string subject) => WaitForAsync(count, [subject]);

        private async Task<bool> TryTakeAsync(string[] subjects, List<CloudNative.CloudEvents.CloudEvent> events)
        {
            var message = await _channel.BasicGetAsync(QueueName, autoAck: true);
            if (message is null)
            {
                return false;
            }

            var cloudEvent = CanonicalEvents.Decode(message.Body);
            if (subjects.Contains(cloudEvent.Subject))
            {
                events.Add(cloudEvent);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_keepQueue && _channel.IsOpen)
            {
                await _channel.QueueDeleteAsync(QueueName);
            }

            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
