using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using LogisticsSync.AppHost.Hosting;
using LogisticsSync.AppHost.Testing;
using LogisticsSync.LoadRunner.Baselines;
using LogisticsSync.Load.MilestoneThroughput;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults;
using Npgsql;
using RabbitMQ.Client;

// Milestone events applied per second with exactly-once effect, next to raw pgbench single-insert TPS
// on the same PostgreSQL in the same run (ARCHITECTURE.md §4; goal: at least half of the raw figure).
var settings = BenchmarkSettings.Parse(args);
Console.WriteLine($"booting the orchestrator estate ({settings.Replicas} replicas)…");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", settings.Replicas.ToString(CultureInfo.InvariantCulture));
builder.KeepOnly(ResourceNames.Orchestrator);
builder.GetResource<LogisticsSync.AppHost.Hosting.Model.ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
{
    foreach (var (name, value) in settings.OrchestratorEnvironment)
    {
        context.Variables[name] = value;
    }
});
await using var estate = await builder.StartHealthyAsync();
await using var serviceLog = File.CreateText(Path.Combine(Path.GetTempPath(), "milestone-throughput-services.log"));
using var streaming = estate.StreamLogsTo(line =>
{
    lock (serviceLog)
    {
        serviceLog.WriteLine(line);
    }
});

var pgbenchTps = await Pgbench.SingleInsertTpsAsync(estate.GetConnectionString(ResourceNames.Database), settings.PgbenchSeconds, settings.PgbenchClients);
Console.WriteLine($"pgbench single-insert: {pgbenchTps:0} TPS ({settings.PgbenchClients} clients, {settings.PgbenchSeconds} s)");

var keys = await ReleaseShipmentsAsync(estate, settings.Shipments);
Console.WriteLine($"released {keys.Count} shipments; publishing {keys.Count * Milestones.Count} milestones…");

var clock = Stopwatch.StartNew();
await PublishMilestonesAsync(estate, keys);
var published = clock.Elapsed;
var expected = keys.Count * Milestones.Count;
await using var dataSource = NpgsqlDataSource.Create(estate.GetConnectionString(ResourceNames.Database));
long applied;
while ((applied = await CountAppliedAsync(dataSource)) < expected)
{
    if (clock.Elapsed > TimeSpan.FromMinutes(5))
    {
        throw new TimeoutException($"only {applied} of {expected} milestones applied in 5 minutes");
    }

    await Task.Delay(50);
}

var elapsed = clock.Elapsed;
var duplicates = await CountDuplicateEffectsAsync(dataSource);
var perSecond = expected / elapsed.TotalSeconds;
var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"# Milestone throughput — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; estate: PostgreSQL, Redis, RabbitMQ, {settings.Replicas} orchestrator replicas, all on this box.")
    .AppendLine()
    .AppendLine("| figure | value |")
    .AppendLine("|---|---|")
    .AppendLine(CultureInfo.InvariantCulture, $"| raw pgbench one-row INSERT per transaction ({settings.PgbenchClients} clients, {settings.PgbenchSeconds} s) | {pgbenchTps:0} TPS |")
    .AppendLine(CultureInfo.InvariantCulture, $"| milestones published (confirmed) | {expected} in {published.TotalSeconds:0.00} s |")
    .AppendLine(CultureInfo.InvariantCulture, $"| milestones applied (inbox + state + trail + outbox, one transaction each) | {expected} in {elapsed.TotalSeconds:0.00} s |")
    .AppendLine(CultureInfo.InvariantCulture, $"| **applied per second** | **{perSecond:0}** |")
    .AppendLine(CultureInfo.InvariantCulture, $"| ratio to raw pgbench | {perSecond / pgbenchTps:P0} (goal ≥ 50%) |")
    .AppendLine(CultureInfo.InvariantCulture, $"| milestones with more than one effect | {duplicates} |")
    .ToString();
Console.WriteLine(report);
var reportPath = Path.Combine(EstateOptions.RepositoryRoot, "load", "reports", $"milestones-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
await File.WriteAllTextAsync(reportPath, report);
Console.WriteLine($"report: {reportPath}");
return duplicates == 0 ? 0 : 1;

static async Task<List<string>> ReleaseShipmentsAsync(DistributedApplication estate, int count)
{
    using var client = estate.CreateHttpClient(ResourceNames.Orchestrator);
    var keys = Enumerable.Range(0, count).Select(i => $"BENCH-{i:000000}").ToList();
    await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, cancellationToken) =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments")
        {
            Content = JsonContent.Create(new
            {
                businessKey = key,
                customer = new { id = "C-1" },
                shipTo = new { name = "DC", city = "Hamburg", country = "DE" },
                lines = new[] { new { sku = "SKU-1", quantity = 1, weightKg = 1m } },
                promisedBy = DateTimeOffset.UtcNow.AddDays(3),
            }),
            Headers = { { "Idempotency-Key", key } },
        };
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    });
    return keys;
}

static async Task PublishMilestonesAsync(DistributedApplication estate, List<string> keys)
{
    await using var connection = await new ConnectionFactory { Uri = new Uri(estate.GetConnectionString(ResourceNames.RabbitMQ)) }.CreateConnectionAsync();
    await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
    // Milestone by milestone across all shipments: each shipment's milestones arrive in order, interleaved with the others.
    foreach (var (milestone, source) in Milestones.All)
    {
        var confirms = keys.Select(key =>
        {
            var outgoing = CanonicalEvents.Create(Guid.Empty, milestone.CloudEventType(), key, key, DateTimeOffset.UtcNow, new { orderSourceSystem = "erp" }, source);
            return channel.BasicPublishAsync(Topology.MilestonesExchange, $"{source}.{milestone.EventName()}", mandatory: false,
                new BasicProperties { MessageId = outgoing.EventId.ToString(), Persistent = true, ContentType = CanonicalEvents.ContentType }, outgoing.Body).AsTask();
        }).ToList();
        await Task.WhenAll(confirms);
    }
}

static async Task<long> CountAppliedAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand("SELECT count(*) FROM shipment_events WHERE outcome = 'applied' AND milestone <> 'released'");
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task<long> CountDuplicateEffectsAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand("""
        SELECT count(*) FROM (SELECT shipment_id, milestone FROM shipment_events WHERE outcome IN ('applied', 'skipped')
                              GROUP BY shipment_id, milestone HAVING count(*) > 1) twice
        """);
    return (long)(await command.ExecuteScalarAsync())!;
}
