using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RabbitMQ.Client;
using Xunit.Abstractions;
using static LogisticsSync.Orchestrator.Tests.OrchestratorEstateFixture;

namespace LogisticsSync.Orchestrator.Tests.Tracing;

/// <summary>One shipment's journey as one trace: the release's context on the outbox row and the AMQP message, a milestone's on what it causes; and no traces from polls that found nothing.</summary>
public sealed class TraceContextTests(OrchestratorEstateFixture estate, ITestOutputHelper output) : IClassFixture<OrchestratorEstateFixture>, IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Release_WithTraceparent_OutboxRowAndMessageCarryTheSameTrace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var key = "SO-TR-" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = await new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, BrokerTopology.EventsExchange, ShipmentEventTypes.Of(MilestoneNames.Released));

        using var client = estate.Replica(0);
        using var request = Release(ReleaseBody(key), key);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        var message = await WaitForMessageAsync(channel, queue, key);
        var onMessage = TraceContext.From(message.BasicProperties.Headers);
        Assert.Equal(traceId, onMessage.Parent.TraceId.ToHexString());
        Assert.Equal(1, await estate.CountAsync(
            "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key = $1 AND o.traceparent LIKE $2",
            key, $"00-{traceId}-%"));
    }

    [Fact]
    public async Task Milestone_WithTraceparent_EventItCausesContinuesThatTrace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();

        var key = await ReleaseThenAllocateAsync($"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        await WaitUntilAsync(async () => await CountAllocatedAsync(key, $"00-{traceId}-%") == 1);
    }

    [Fact]
    public async Task Milestone_MalformedTraceparent_IsAppliedAnyway()
    {
        var key = await ReleaseThenAllocateAsync("00-not-a-trace-context");

        // Applied (its event is in the outbox) under a trace of its own.
        await WaitUntilAsync(async () => await CountAllocatedAsync(key, "00-%") == 1);
        Assert.Equal(0, await CountAllocatedAsync(key, "00-not-a-trace-context%"));
    }

    private async Task<string> ReleaseThenAllocateAsync(string traceparent)
    {
        var key = "SO-TM-" + Guid.NewGuid().ToString("N")[..12];
        using (var client = estate.Replica(1))
        {
            (await client.SendAsync(Release(ReleaseBody(key), key))).EnsureSuccessStatusCode();
        }

        await using var connection = await new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var outgoing = CanonicalEvents.Create(Guid.Empty, ShipmentMilestone.Allocated.CloudEventType(), key, "test-" + key, DateTimeOffset.UtcNow,
            new { orderSourceSystem = "erp" }, "wms", Guid.NewGuid());
        await channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, $"wms.{ShipmentMilestone.Allocated.EventName()}", mandatory: false,
            new BasicProperties
            {
                MessageId = outgoing.EventId.ToString(),
                Persistent = true,
                UserId = "wms",
                ContentType = ShipmentEventTypes.ContentType,
                Headers = new Dictionary<string, object?> { [TraceContext.TraceParentHeader] = traceparent },
            },
            outgoing.Body);
        return key;
    }

    private Task<long> CountAllocatedAsync(string key, string traceparentPattern) => estate.CountAsync(
        "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key = $1 AND o.event_type = $2 AND o.traceparent LIKE $3",
        key, ShipmentMilestone.Allocated.CloudEventType(), traceparentPattern);

    [Fact]
    public async Task IdlePolls_NoParentActivity_NoRootPostgresqlActivity()
    {
        // The data source as every service builds it (AddNpgsqlDataSource), and polls as the pollers run them: outside
        // any activity. A marker in the SQL tells these commands from anything else the process runs.
        var marker = "idle-probe-" + Guid.NewGuid().ToString("N");
        var recorded = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{ResourceNames.Database}"] = estate.App.GetConnectionString(ResourceNames.Database);
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        await using var services = builder.Services.BuildServiceProvider();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        Activity.Current = null;

        for (var poll = 0; poll < 5; poll++)
        {
            await using var command = dataSource.CreateCommand($"/* {marker} */ SELECT count(*) FROM outbox WHERE published_at IS NULL AND false");
            await command.ExecuteScalarAsync();
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"/* {marker} */ SELECT 1 FROM partner_tasks WHERE false"));
            await batch.ExecuteNonQueryAsync();
        }

        // Work that was claimed runs under a span: its queries are traced, as children of it.
        using (var work = new ActivitySource("test.work").StartActivity("claimed work") ?? new Activity("claimed work").Start())
        {
            await using var command = dataSource.CreateCommand($"/* {marker} */ SELECT 1");
            await command.ExecuteScalarAsync();
        }

        var ours = recorded.Where(a => a.TagObjects.Any(t => t.Value is string text && text.Contains(marker, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(ours, a => a.Parent is null && a.ParentSpanId == default);
        Assert.Single(ours);
    }

    private static async Task<BasicGetResult> WaitForMessageAsync(IChannel channel, string queue, string subject)
    {
        BasicGetResult? found = null;
        await Eventually.UntilAsync(async () =>
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                if (CanonicalEvents.Decode(message.Body).Subject == subject)
                {
                    found = message;
                    return true;
                }
            }

            return false;
        }, TimeSpan.FromSeconds(30), $"the released event of {subject}");
        return found!;
    }
}
