using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.LoadRunner.Baselines;
using LogisticsSync.Load.MilestoneThroughput;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults;
using Npgsql;
using RabbitMQ.Client;

// Milestone events applied per second with exactly-once effect, next to raw pgbench single-insert TPS
// on the same PostgreSQL in the same run (ARCHITECTURE.md §4; goal: at least half of the raw figure).
var settings = BenchmarkSettings.Parse(args);
Console.WriteLine($"booting the orchestrator estate ({settings.Replicas} replicas)…");
var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", settings.Replicas.ToString(CultureInfo.InvariantCulture));
builder.KeepOnly(ResourceNames.Orchestrator);
builder.GetResource<LogisticsSync.Hosting.Model.ProjectResource>(ResourceNames.Orchestrator).EnvironmentCallbacks.Add(context =>
{
    // The benchmark plays TMS and carriers through the broker and measures milestones alone: no partner calls.
    context.Variables["PartnerWork__Enabled"] = "false";
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

// A freshly started replica spends a good part of its first seconds compiling (tiered JIT); the
// figure is for the steady state, so a warm-up round goes through the same path first.
await using var dataSource = NpgsqlDataSource.Create(estate.GetConnectionString(ResourceNames.Database));
var warmUp = await ReleaseShipmentsAsync(estate, "WARMUP", settings.WarmUpShipments);
await PublishMilestonesAsync(estate, warmUp);
var alreadyApplied = (long)warmUp.Count * Milestones.Count;
await WaitUntilAppliedAsync(dataSource, alreadyApplied);
Console.WriteLine($"warmed up with {alreadyApplied} milestones");

var pgbenchTps = await Pgbench.SingleInsertTpsAsync(estate.GetConnectionString(ResourceNames.Database), settings.PgbenchSeconds, settings.PgbenchClients);
Console.WriteLine($"pgbench single-insert: {pgbenchTps:0} TPS ({settings.PgbenchClients} clients, {settings.PgbenchSeconds} s)");

var keys = await ReleaseShipmentsAsync(estate, "BENCH", settings.Shipments);
Console.WriteLine($"released {keys.Count} shipments; publishing {keys.Count * Milestones.Count} milestones…");

var cpuBefore = CpuUsage.Sample();
var clock = Stopwatch.StartNew();
await PublishMilestonesAsync(estate, keys);
var published = clock.Elapsed;
var expected = keys.Count * Milestones.Count;
var started = DateTimeOffset.UtcNow - clock.Elapsed;
await WaitUntilAppliedAsync(dataSource, alreadyApplied + expected);
var cpu = CpuUsage.Between(cpuBefore, CpuUsage.Sample());
while (await CountUnpublishedAsync(dataSource) > 0)
{
    await Task.Delay(500);
}

var elapsed = await LatestAsync(dataSource, "SELECT max(recorded_at) FROM shipment_events") - started;
var drained = await LatestAsync(dataSource, "SELECT max(published_at) FROM outbox") - started;
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
    .AppendLine(CultureInfo.InvariantCulture, $"| milestones applied (inbox + state + trail + outbox, committed before the ack) | {expected} in {elapsed.TotalSeconds:0.00} s |")
    .AppendLine(CultureInfo.InvariantCulture, $"| **applied per second** | **{perSecond:0}** |")
    .AppendLine(CultureInfo.InvariantCulture, $"| ratio to raw pgbench | {perSecond / pgbenchTps:P0} (goal ≥ 50%) |")
    .AppendLine(CultureInfo.InvariantCulture, $"| their canonical events all published (outbox drained) | {drained.TotalSeconds:0.00} s |")
    .AppendLine(CultureInfo.InvariantCulture, $"| milestones with more than one effect | {duplicates} |")
    .AppendLine()
    .AppendLine("CPU from the first publish until the benchmark saw the last milestone applied (up to 0.5 s later; from /proc; the wall-clock rate moves with whatever else runs, CPU per milestone much less):")
    .AppendLine()
    .AppendLine("| part | CPU seconds | CPU ms per 1,000 milestones |")
    .AppendLine("|---|---|---|")
    .AppendJoin(string.Empty, cpu.Select(p => string.Create(CultureInfo.InvariantCulture, $"| {p.Part} | {p.Seconds:0.00} | {p.Seconds * 1_000_000 / expected:0} |{Environment.NewLine}")))
    .ToString();
Console.WriteLine(report);
var reportPath = Path.Combine(EstateOptions.RepositoryRoot, "load", "reports", $"milestones-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
await File.WriteAllTextAsync(reportPath, report);
Console.WriteLine($"report: {reportPath}");
return duplicates == 0 ? 0 : 1;

static async Task<List<string>> ReleaseShipmentsAsync(DistributedApplication estate, string prefix, int count)
{
    using var client = estate.CreateHttpClient(ResourceNames.Orchestrator);
    var keys = Enumerable.Range(0, count).Select(i => $"{prefix}-{i:000000}").ToList();
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
            return channel.BasicPublishAsync(BrokerTopology.MilestonesExchange, $"{source}.{milestone.EventName()}", mandatory: false,
                new BasicProperties { MessageId = outgoing.EventId.ToString(), Persistent = true, UserId = source, ContentType = ShipmentEventTypes.ContentType }, outgoing.Body).AsTask();
        }).ToList();
        await Task.WhenAll(confirms);
    }
}

// Polled gently (counting the trail is work for PostgreSQL too); the times come from the rows themselves.
static async Task WaitUntilAppliedAsync(NpgsqlDataSource dataSource, long expected)
{
    var deadline = DateTime.UtcNow.AddMinutes(5);
    long applied;
    while ((applied = await CountAppliedAsync(dataSource)) < expected)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"only {applied} of {expected} milestones applied in 5 minutes");
        }

        await Task.Delay(500);
    }
}

// Every delivered milestone leaves exactly one trail row that is not a skip (applied, or stale when a
// later one overtook it); rows for skipped milestones come from the jump that overtook them.
static Task<long> CountAppliedAsync(NpgsqlDataSource dataSource) =>
    CountAsync(dataSource, "SELECT count(*) FROM shipment_events WHERE outcome <> 'skipped' AND milestone <> 'released'");

static Task<long> CountUnpublishedAsync(NpgsqlDataSource dataSource) =>
    CountAsync(dataSource, "SELECT count(*) FROM outbox WHERE published_at IS NULL");

static async Task<DateTimeOffset> LatestAsync(NpgsqlDataSource dataSource, string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync())!, TimeSpan.Zero);
}

static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    return (long)(await command.ExecuteScalarAsync())!;
}

static Task<long> CountDuplicateEffectsAsync(NpgsqlDataSource dataSource) =>
    CountAsync(dataSource, """
        SELECT count(*) FROM (SELECT shipment_id, milestone FROM shipment_events WHERE outcome IN ('applied', 'skipped')
                              GROUP BY shipment_id, milestone HAVING count(*) > 1) twice
        """);
