using System.Net.Http.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Protocol;
using Npgsql;
using RabbitMQ.Client;

namespace LogisticsSync.Orchestrator.Tests;

/// <summary>The orchestrator (two replicas) with its real PostgreSQL, Redis and RabbitMQ, booted through the testing builder.</summary>
public class OrchestratorEstateFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
        builder.KeepOnly(ResourceNames.Orchestrator);
        // Sweeps every second, keeping an hour: tests see the sweeper work, and it never touches their fresh rows.
        builder.GetResource<LogisticsSync.Hosting.Model.ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
        {
            context.Variables["Retention__Interval"] = "00:00:01";
            context.Variables["Retention__PublishedOutbox"] = "01:00:00";
            context.Variables["Retention__Inbox"] = "01:00:00";
            // These tests play the TMS and the carriers through the broker; the flow tests turn partner calls on.
            context.Variables["PartnerWork__Enabled"] = "false";
        });
        Configure(builder);
        App = await builder.StartHealthyAsync();
    }

    /// <summary>A fixture's own changes to the model before it starts.</summary>
    protected virtual void Configure(DistributedApplicationBuilder builder)
    {
    }

    // App is null when start-up failed: disposing must not hide that failure.
    public virtual async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    /// <summary>A client for one replica, so tests can spread commands over both.</summary>
    public HttpClient Replica(int replica) => App.CreateHttpClient(ResourceNames.Orchestrator, replica: replica);

    public async Task<long> CountAsync(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(App.GetConnectionString(ResourceNames.Database));
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(condition, timeout ?? TimeSpan.FromSeconds(30), "the condition");

    public static object ReleaseBody(string businessKey, int quantity = 2) => new
    {
        businessKey,
        customer = new { id = "C-1001", name = "Acme Retail" },
        shipTo = new { name = "Acme DC North", street = "Hafenstraße 1", city = "Hamburg", postalCode = "20457", country = "DE" },
        lines = new[] { new { sku = "SKU-100", quantity, weightKg = 1.25m } },
        // Years ahead: the promise is a durable timer, and a past one would open DeliveryLate on every test shipment.
        promisedBy = "2030-12-01T17:00:00+00:00",
        serviceLevel = "standard",
    };

    /// <summary>
    /// Publishes a partner's milestone for the business key to the milestones exchange, as the partner systems do: as
    /// broker user <paramref name="source"/> (user-id, which the orchestrator takes the reporter from; the
    /// administrator may impersonate).
    /// </summary>
    public static async Task PublishMilestoneAsync(IChannel channel, string businessKey, ShipmentMilestone milestone, string source, Guid? eventId = null)
    {
        var outgoing = CanonicalEvents.Create(Guid.Empty, milestone.CloudEventType(), businessKey, "test-" + businessKey, DateTimeOffset.UtcNow,
            new { orderSourceSystem = "erp" }, source, eventId ?? Guid.NewGuid());
        await channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, $"{source}.{milestone.EventName()}", mandatory: false,
            new BasicProperties { MessageId = outgoing.EventId.ToString(), Persistent = true, UserId = source, ContentType = ShipmentEventTypes.ContentType }, outgoing.Body);
    }

    public static HttpRequestMessage Release(object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }
}
