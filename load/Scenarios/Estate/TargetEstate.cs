using System.Globalization;
using LogisticsSync.AppHost.Hosting;
using LogisticsSync.AppHost.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Scenarios.Estate;

/// <summary>The estate under load: one already running (its gateway URL), or one booted for this run and stopped after it.</summary>
public sealed class TargetEstate : IAsyncDisposable
{
    private readonly DistributedApplication? _booted;
    private readonly IDisposable? _logs;
    private readonly StreamWriter? _logFile;

    private TargetEstate(Uri gateway, string? postgres, string? redis, DistributedApplication? booted = null, IDisposable? logs = null, StreamWriter? logFile = null)
    {
        Gateway = gateway;
        Postgres = postgres;
        Redis = redis;
        _booted = booted;
        _logs = logs;
        _logFile = logFile;
    }

    public Uri Gateway { get; }

    /// <summary>The database's connection string, when known (for pgbench).</summary>
    public string? Postgres { get; }

    public string? Redis { get; }

    public string Description => _booted is null ? $"running estate at {Gateway}" : $"estate booted for this run (gateway {Gateway})";

    public static TargetEstate Running(Uri gateway, string? postgres, string? redis) => new(gateway, postgres, redis);

    /// <summary>
    /// Boots the gateway and what it needs (orchestrator replicas, PostgreSQL, Redis, RabbitMQ) on free ports with a
    /// temporary state folder; the services' output goes to <paramref name="logPath"/>, not the console.
    /// </summary>
    public static async Task<TargetEstate> BootAsync(int replicas, string logPath)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", replicas.ToString(CultureInfo.InvariantCulture));
        builder.KeepOnly(ResourceNames.Gateway);
        var app = await builder.StartHealthyAsync();
        var logFile = File.CreateText(logPath);
        var logs = app.StreamLogsTo(line =>
        {
            lock (logFile)
            {
                logFile.WriteLine(line);
            }
        });
        return new TargetEstate(app.GetEndpoint(ResourceNames.Gateway), app.GetConnectionString(ResourceNames.Database), app.GetConnectionString(ResourceNames.Redis),
            app, logs, logFile);
    }

    public async ValueTask DisposeAsync()
    {
        _logs?.Dispose();
        if (_booted is not null)
        {
            await _booted.DisposeAsync();
        }

        if (_logFile is not null)
        {
            await _logFile.DisposeAsync();
        }
    }
}
