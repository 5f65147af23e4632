using LogisticsSync.Orchestrator.CarrierWebhooks;
using LogisticsSync.Orchestrator.Data;
using LogisticsSync.Orchestrator.DeadLetters;
using LogisticsSync.Orchestrator.Idempotency;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Milestones;
using LogisticsSync.Orchestrator.Operations;
using LogisticsSync.Orchestrator.Outbox;
using LogisticsSync.Orchestrator.Retention;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.Orchestrator.WorkflowLatency;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Messaging;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace LogisticsSync.Orchestrator.Extensions;

internal static class OrchestratorExtensions
{
    /// <summary>The orchestrator's servers, features and background work.</summary>
    public static WebApplicationBuilder AddOrchestrator(this WebApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database, dataSource =>
        {
            // The same few statements run for every milestone: prepared once per connection, PostgreSQL
            // stops parsing and planning them each time. A connection string that says otherwise wins.
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 32;
            }
        });
        // Idempotency keys are a fast path with a database backstop: with Redis down, fail fast rather
        // than hold every command for the client's reconnect timeout.
        builder.AddRedisClient(ResourceNames.Redis, redis => redis.BacklogPolicy = BacklogPolicy.FailFast);
        builder.AddRabbitMQClient(ResourceNames.RabbitMQ);
        builder.Services.AddSingleton<IBrokerConnectionSetup, TopologySetup>();

        builder.Services.Configure<IdempotencyOptions>(builder.Configuration.GetSection(IdempotencyOptions.SectionName));
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection(OutboxOptions.SectionName));
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.SectionName));
        builder.Services.Configure<MilestoneConsumerOptions>(builder.Configuration.GetSection(MilestoneConsumerOptions.SectionName));
        builder.Services.Configure<WorkflowLatencyOptions>(builder.Configuration.GetSection(WorkflowLatencyOptions.SectionName));
        builder.Services.PostConfigure<MilestoneConsumerOptions>(consumer =>
        {
            if (consumer.RetryDelays.Count == 0)
            {
                consumer.RetryDelays.AddRange(MilestoneConsumerOptions.DefaultRetryDelays);
            }
        });
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<IdempotentCommands>();
        builder.Services.AddSingleton<ShipmentReads>();
        builder.Services.AddSingleton<ShipmentWriter>();
        builder.Services.AddSingleton<ShipmentTransactions>();
        builder.Services.AddSingleton<MilestoneApplier>();
        builder.Services.AddSingleton<ShipmentMetrics>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxLag>();
        builder.Services.AddSingleton<OutboxProgress>();
        builder.Services.Configure<OutboxHealthOptions>(builder.Configuration.GetSection(OutboxHealthOptions.SectionName));
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"], timeout: TimeSpan.FromSeconds(3));
        builder.Services.AddSingleton<DeadLetterStore>();
        builder.Services.AddSingleton<OperationsReads>();
        builder.Services.AddSingleton<CarrierWebhookInbox>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<MilestoneConsumer>();
        builder.Services.AddHostedService<RetentionSweeper>();

        builder.AddFlows();

        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(OrchestratorMetrics.MeterName));
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The schema, before the first request: idempotent, so every replica does it. Not the broker topology: that is
    /// declared on connecting (<see cref="TopologySetup"/>), so a broker that is down does not hold the replica's start.
    /// </summary>
    public static async Task PrepareInfrastructureAsync(this WebApplication app) =>
        await app.Services.GetRequiredService<MigrationRunner>().RunAsync(app.Lifetime.ApplicationStopping);
}
