using System.Globalization;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Load.Scenarios.Partners;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Scenarios.Estate;

/// <summary>The estate under load: one already running (its gateway URL), or one booted for this run and stopped after it.</summary>
public sealed class TargetEstate : IAsyncDisposable
{
    private readonly DistributedApplication? _booted;
    private readonly IDisposable? _logs;
    private readonly StreamWriter? _logFile;
    private readonly string? _stateFolder;

    private TargetEstate(Uri gateway, string? postgres, string? redis, DistributedApplication? booted = null, IDisposable? logs = null, StreamWriter? logFile = null,
        SimulatedPartnerDay? partnerDay = null, string? stateFolder = null)
    {
        _stateFolder = stateFolder;
        PartnerDay = partnerDay;
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

    /// <summary>The ERP and WMS simulators, when booted for the day mix.</summary>
    public SimulatedPartnerDay? PartnerDay { get; }

    public string Description => _booted is null ? $"running estate at {Gateway}" : $"estate booted for this run (gateway {Gateway})";

    /// <summary>
    /// A running estate whose control file is in <paramref name="stateFolder"/> (for its keys); with
    /// <paramref name="partnerDay"/>, its ERP and WMS simulators drive the day mix.
    /// </summary>
    public static TargetEstate Running(Uri gateway, string stateFolder, string? postgres, string? redis, SimulatedPartnerDay? partnerDay = null) =>
        new(gateway, postgres, redis, partnerDay: partnerDay, stateFolder: stateFolder);

    /// <summary>A model parameter (a partner key): the booted estate's, or the running one's through its control API.</summary>
    /// <exception cref="FormatException">No running estate to ask: the key must be given on the command line.</exception>
    public async Task<string> ParameterAsync(string name, CancellationToken cancellationToken)
    {
        if (_booted is not null)
        {
            return _booted.GetParameterValue(name);
        }

        try
        {
            var control = await Hosting.Control.ControlFile.ReadAsync(_stateFolder!, cancellationToken)
                ?? throw new FormatException($"no running estate in {_stateFolder} to take its '{name}' from: start it with ./run.sh, point --estate-state at its state folder, or give the key");
            return await control.GetParameterAsync(name, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or Hosting.Control.ControlFileException)
        {
            throw new FormatException($"the running estate's '{name}' could not be read ({exception.Message}): give the key on the command line", exception);
        }
    }

    /// <summary>
    /// Boots the gateway and what it needs (orchestrator replicas, PostgreSQL, Redis, RabbitMQ) on free ports with a
    /// temporary state folder; the services' output goes to <paramref name="logPath"/>, not the console. With
    /// <paramref name="erpOrdersPerSecond"/>, the ERP and WMS simulators too (the day mix), the ERP in an outage until the run.
    /// </summary>
    public static async Task<TargetEstate> BootAsync(int replicas, string logPath, double? erpOrdersPerSecond = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", replicas.ToString(CultureInfo.InvariantCulture));
        builder.KeepOnly(erpOrdersPerSecond is null ? [ResourceNames.Gateway, ResourceNames.Orchestrator] : [ResourceNames.Gateway, ResourceNames.Orchestrator, ResourceNames.Erp, ResourceNames.Wms]);
        foreach (var role in erpOrdersPerSecond is null ? [] : new[] { ResourceNames.Erp, ResourceNames.Wms })
        {
            var environment = SimulatedPartnerDay.Environment(role, erpOrdersPerSecond.GetValueOrDefault());
            builder.GetResource<ProjectResource>(role).EnvironmentCallbacks.Add(context =>
            {
                foreach (var (name, value) in environment)
                {
                    context.Variables[name] = value;
                }
            });
        }

        var app = await builder.StartHealthyAsync();
        var logFile = File.CreateText(logPath);
        var logs = app.StreamLogsTo(line =>
        {
            lock (logFile)
            {
                logFile.WriteLine(line);
            }
        });
        var database = app.GetConnectionString(ResourceNames.Database);
        var partnerDay = erpOrdersPerSecond is { } ordersPerSecond
            ? new SimulatedPartnerDay(app.GetEndpoint(ResourceNames.Erp), app.GetEndpoint(ResourceNames.Wms), database, ordersPerSecond,
                app.GetParameterValue(PartnerCredentials.SimulatorAdminKey))
            : null;
        return new TargetEstate(app.GetEndpoint(ResourceNames.Gateway), database, app.GetConnectionString(ResourceNames.Redis), app, logs, logFile, partnerDay);
    }

    public async ValueTask DisposeAsync()
    {
        PartnerDay?.Dispose();
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
