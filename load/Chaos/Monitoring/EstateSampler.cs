using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.ServiceDefaults;
using Npgsql;

namespace LogisticsSync.Load.Chaos.Monitoring;

/// <summary>
/// Samples the estate once a second for the report's timeline and the per-fault recovery times, and tells the
/// caller when a simulator restarted (its fault profile must be put back).
/// </summary>
public sealed class EstateSampler : IAsyncDisposable
{
    private readonly ChaosEstate _estate;
    private readonly NpgsqlDataSource _database;
    private readonly HttpClient _rabbit;
    private readonly string _keyPrefix;
    private readonly List<Sample> _samples = [];
    private readonly Dictionary<string, string> _processes = [];

    public EstateSampler(ChaosEstate estate, string erpKeyPrefix)
    {
        _estate = estate;
        _keyPrefix = erpKeyPrefix;
        // Short timeouts: a sample taken while PostgreSQL is down must not hold up the next one.
        _database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(estate.Database) { Timeout = 2, CommandTimeout = 3, MaxPoolSize = 4 }.ConnectionString);
        _rabbit = ManagementClient(estate);
    }

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Called with a resource's name when it runs under new process ids since the last sample (restarted, by crash or command).</summary>
    public Func<string, Task>? Restarted { get; set; }

    public async Task RunAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                var sample = await TakeAsync(clock.Elapsed.TotalSeconds, cancellationToken);
                lock (_samples)
                {
                    _samples.Add(sample);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the run is over
        }
    }

    public async Task<Sample> TakeAsync(double second, CancellationToken cancellationToken)
    {
        var states = await StatesAsync(cancellationToken);
        var database = await OrNullAsync(() => DatabaseFiguresAsync(cancellationToken));
        var rabbit = await OrNullAsync(() => QueueFiguresAsync(cancellationToken));
        return new Sample(second, states, database?.Outbox, rabbit?.Depth, database?.Due, database?.Shipments, database?.Settled, rabbit?.Redelivered);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        _rabbit.Dispose();
    }

    private async Task<Dictionary<string, string>> StatesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var replicas = await _estate.Control.ReplicasAsync(cancellationToken);
            // New pids, not the restart count: a restart by command (or a stop and start) does not count as a crash restart.
            foreach (var group in replicas.GroupBy(r => r.Resource).Where(g => g.All(r => r.Pid is not null)))
            {
                var pids = string.Join(',', group.Select(r => r.Pid));
                if (_processes.TryGetValue(group.Key, out var before) && pids != before && Restarted is { } restarted)
                {
                    _ = restarted(group.Key);
                }

                _processes[group.Key] = pids;
            }

            return replicas.Where(r => r.Resource != ResourceNames.Database)
                .ToDictionary(r => replicas.Count(x => x.Resource == r.Resource) > 1 ? $"{r.Resource}#{r.Replica}" : r.Resource, r => r.State);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [];
        }
    }

    private async Task<(long Outbox, long Due, long Shipments, long Settled)> DatabaseFiguresAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            """
            SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL),
                   (SELECT count(*) FROM partner_tasks WHERE completed_at IS NULL AND due_at <= now()),
                   (SELECT count(*) FROM shipments WHERE starts_with(business_key, $1)),
                   (SELECT count(*) FROM shipments WHERE starts_with(business_key, $1) AND state IN ('Closed', 'Cancelled'))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _keyPrefix });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private async Task<(long Depth, long Redelivered)> QueueFiguresAsync(CancellationToken cancellationToken)
    {
        var queues = await _rabbit.GetFromJsonAsync<JsonElement>("api/queues", cancellationToken);
        var overview = await _rabbit.GetFromJsonAsync<JsonElement>("api/overview", cancellationToken);
        var depth = WorkQueues.Depth(queues);
        var redelivered = overview.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("redeliver", out var r) ? r.GetInt64() : 0;
        return (depth, redelivered);
    }

    /// <summary>RabbitMQ's management API with the broker's own user (from the AMQP connection string).</summary>
    internal static HttpClient ManagementClient(ChaosEstate estate)
    {
        var amqp = new Uri(estate.RabbitMQ);
        var client = new HttpClient
        {
            BaseAddress = estate.Endpoints.TryGetValue($"{ResourceNames.RabbitMQ}-management", out var management) ? management : new Uri("http://127.0.0.1:15672"),
            Timeout = TimeSpan.FromSeconds(3),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        return client;
    }

    private static async Task<T?> OrNullAsync<T>(Func<Task<T>> read) where T : struct
    {
        try
        {
            return await read();
        }
        catch (Exception exception) when (exception is NpgsqlException or HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }
}
