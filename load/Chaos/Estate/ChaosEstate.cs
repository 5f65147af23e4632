using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Chaos.Estate;

/// <summary>
/// The estate a chaos run breaks: its control API (the commands), its gateway (the traffic), the systems of record
/// the invariants read (PostgreSQL, the simulators, RabbitMQ's management API) and, when the runner booted it, the
/// estate itself, stopped with the run.
/// </summary>
public sealed class ChaosEstate : IAsyncDisposable
{
    private readonly IAsyncDisposable? _booted;
    private readonly IReadOnlyDictionary<string, string> _credentials;

    internal ChaosEstate(ControlApiClient control, IReadOnlyDictionary<string, Uri> endpoints, string database, string redis, string rabbitmq, string serviceKey,
        IReadOnlyDictionary<string, string> credentials, IAsyncDisposable? booted)
    {
        ServiceKey = serviceKey;
        _credentials = credentials;
        Control = control;
        Endpoints = endpoints;
        Database = database;
        Redis = redis;
        RabbitMQ = rabbitmq;
        _booted = booted;
    }

    public ControlApiClient Control { get; }

    /// <summary>Each process resource's http endpoint by name, and <c>rabbitmq-management</c>.</summary>
    public IReadOnlyDictionary<string, Uri> Endpoints { get; }

    public Uri Gateway => Endpoints[ResourceNames.Gateway];

    public string Database { get; }

    /// <summary>host:port,password=…</summary>
    public string Redis { get; }

    /// <summary>amqp://user:password@host:port</summary>
    public string RabbitMQ { get; }

    /// <summary>The estate's internal key, which the simulators' system APIs require (<see cref="ServiceKeyConvention"/>).</summary>
    public string ServiceKey { get; }

    public bool Booted => _booted is not null;

    /// <summary>A partner credential the estate generated (<see cref="PartnerCredentials"/>): an API key, a webhook secret, the admin key.</summary>
    public string Credential(string name) => _credentials[name];

    public string Description => Booted ? $"estate booted for this run (control API {Control.Url})" : $"running estate (control API {Control.Url})";

    public Uri Simulator(string role) => Endpoints.TryGetValue(role, out var url)
        ? url
        : throw new ChaosTargetException($"the estate has no simulator '{role}' (start the whole estate: ./run.sh, or --boot)");

    /// <summary>
    /// <c>./run.sh</c>'s estate from its state folder: the control API's URL and token are in <c>control.json</c>; the
    /// endpoints come from the control API; the connection strings and the service key from the orchestrator's environment
    /// (Aspire's <c>ConnectionStrings__&lt;name&gt;</c>, readable in /proc by the same user), so no password is copied by hand.
    /// </summary>
    public static async Task<ChaosEstate> RunningAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        ControlFile? file;
        try
        {
            file = await ControlFile.ReadAsync(stateDirectory, cancellationToken);
        }
        catch (ControlFileException exception)
        {
            throw new ChaosTargetException($"{exception.Message}: is the estate still starting? (or give another --state folder, or use --boot)", exception);
        }

        var control = new ControlApiClient(file
            ?? throw new ChaosTargetException($"no running estate: {ControlFile.PathIn(stateDirectory)} does not exist (start one with ./run.sh, give its --state folder, or use --boot)"));
        JsonElement resources;
        try
        {
            resources = await control.ResourcesAsync(cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new ChaosTargetException($"the estate's control API at {file.Url} does not answer ({exception.Message}): the estate in {stateDirectory} is not running (start it with ./run.sh, or use --boot)", exception);
        }

        var endpoints = new Dictionary<string, Uri>();
        int? orchestratorPid = null;
        foreach (var resource in resources.EnumerateArray())
        {
            var name = resource.GetProperty("name").GetString()!;
            foreach (var endpoint in resource.GetProperty("endpoints").EnumerateObject().Where(e => e.Name is "http" or "management"))
            {
                endpoints[endpoint.Name == "http" ? name : $"{name}-{endpoint.Name}"] = new Uri(endpoint.Value.GetString()!);
            }

            if (name == ResourceNames.Orchestrator)
            {
                orchestratorPid = resource.GetProperty("replicas").EnumerateArray()
                    .Select(r => r.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt32() : (int?)null).FirstOrDefault(p => p is not null);
            }
        }

        var environment = orchestratorPid is { } p
            ? (await File.ReadAllTextAsync($"/proc/{p}/environ", cancellationToken)).Split('\0').Select(v => v.Split('=', 2)).Where(v => v.Length == 2)
                .GroupBy(v => v[0]).ToDictionary(g => g.Key, g => g.First()[1])
            : throw new ChaosTargetException("the running estate's orchestrator has no process: its connection strings cannot be read (start it: ./estate start orchestrator)");
        string ConnectionString(string name) => environment.GetValueOrDefault($"ConnectionStrings__{name}")
            ?? throw new ChaosTargetException($"the orchestrator was not given ConnectionStrings__{name}");
        var serviceKey = environment.GetValueOrDefault(ServiceKeyConvention.EnvironmentVariable)
            ?? throw new ChaosTargetException($"the orchestrator was not given {ServiceKeyConvention.EnvironmentVariable} (an estate older than this runner: restart it)");
        var credentials = new Dictionary<string, string>();
        foreach (var name in PartnerCredentials.All)
        {
            try
            {
                credentials[name] = await file.GetParameterAsync(name, cancellationToken);
            }
            catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException)
            {
                throw new ChaosTargetException($"the running estate's '{name}' could not be read: {exception.Message}", exception);
            }
        }

        return new ChaosEstate(control, endpoints, ConnectionString(ResourceNames.Database), ConnectionString(ResourceNames.Redis), ConnectionString(ResourceNames.RabbitMQ), serviceKey,
            credentials, null);
    }

    /// <summary>An estate the runner booted (<see cref="EstateBoot"/>).</summary>
    internal static ChaosEstate Of(DistributedApplication app, IAsyncDisposable lifetime)
    {
        var endpoints = new Dictionary<string, Uri>();
        foreach (var snapshot in app.GetSnapshots())
        {
            foreach (var (name, url) in snapshot.Endpoints.Where(e => e.Key is "http" or "management"))
            {
                endpoints[name == "http" ? snapshot.Name : $"{snapshot.Name}-{name}"] = new Uri(url);
            }
        }

        return new ChaosEstate(new ControlApiClient(new ControlFile(app.DashboardUrl, app.ControlToken)), endpoints, app.GetConnectionString(ResourceNames.Database),
            app.GetConnectionString(ResourceNames.Redis), app.GetConnectionString(ResourceNames.RabbitMQ), app.ServiceKey,
            PartnerCredentials.All.ToDictionary(name => name, app.GetParameterValue), lifetime);
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        if (_booted is not null)
        {
            await _booted.DisposeAsync();
        }
    }
}
