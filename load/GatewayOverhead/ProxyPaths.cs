using LogisticsSync.Dashboard;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.GatewayOverhead;

/// <summary>One way to the upstream endpoint, with what a client sends on it and the process that answers it.</summary>
internal sealed record ProxyPath(string Name, string Slug, Uri Url, IReadOnlyDictionary<string, string> Headers, int Pid);

/// <summary>
/// The upstream, a bare YARP proxy in front of it and the real gateway (with Redis for its
/// throttling) in front of it too, booted as one estate by the engine on free ports.
/// </summary>
internal sealed class ProxyPaths : IAsyncDisposable
{
    public const string UpstreamAddressVariable = "services__bench-upstream__http__0";
    private const string Upstream = "bench-upstream";
    private const string BareProxy = "bench-bare-yarp";
    private const string ReadPath = "/api/v1/shipments/0193a5c0-7d1e-7c2b-9a51-3f0e8d6c2b11";

    private readonly DistributedApplication _estate;
    private readonly IDisposable _logs;
    private readonly StreamWriter _logFile;

    private ProxyPaths(DistributedApplication estate, IDisposable logs, StreamWriter logFile)
    {
        _estate = estate;
        _logs = logs;
        _logFile = logFile;
        All =
        [
            new("straight to the upstream", "direct", new Uri(estate.GetEndpoint(Upstream), ReadPath), new Dictionary<string, string>(), PidOf(Upstream)),
            new("bare YARP route", "bare-yarp", new Uri(estate.GetEndpoint(BareProxy), ReadPath), new Dictionary<string, string>(), PidOf(BareProxy)),
            new("gateway, every policy on", "gateway", new Uri(estate.GetEndpoint(ResourceNames.Gateway), ReadPath),
                new Dictionary<string, string> { ["X-Api-Key"] = estate.GetParameterValue(PartnerCredentials.PortalApiKey) }, PidOf(ResourceNames.Gateway)),
        ];
        RedisPid = PidOf(ResourceNames.Redis);
    }

    public IReadOnlyList<ProxyPath> All { get; }

    /// <summary>The Redis server the gateway takes every request's token from: its CPU is part of the gateway's cost.</summary>
    public int RedisPid { get; }

    public static async Task<ProxyPaths> StartAsync(string logPath, IReadOnlyDictionary<string, string> gatewayEnvironment)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
        var project = Path.Combine(EstateOptions.RepositoryRoot, "load", "GatewayOverhead", "GatewayOverhead.csproj");
        var upstream = builder.AddProject(Upstream, project)
            .WithEnvironment(Servers.RoleVariable, Servers.UpstreamRole)
            .WithHttpHealthCheck("/health");
        builder.AddProject(BareProxy, project)
            .WithEnvironment(Servers.RoleVariable, Servers.BareProxyRole)
            .WithReference(upstream).WaitFor(upstream)
            .WithHttpHealthCheck("/health");

        // The gateway as the estate runs it (auth, Redis throttling, correlation, audit, versions), its
        // orchestrator swapped for the same upstream, and limits no single client of this run reaches:
        // every request still takes its token from Redis.
        var gateway = builder.GetResource<ProjectResource>(ResourceNames.Gateway);
        gateway.References.RemoveAll(reference => reference.Name == ResourceNames.Orchestrator);
        gateway.WaitsFor.Add(upstream.Resource);
        gateway.References.Add(upstream.Resource);
        gateway.EnvironmentCallbacks.Add(context =>
        {
            context.Variables["services__orchestrator__http__0"] = context.Variables[UpstreamAddressVariable];
            context.Variables["Gateway__Throttling__Tiers__standard__TokenLimit"] = "10000000";
            context.Variables["Gateway__Throttling__Tiers__standard__TokensPerPeriod"] = "10000000";
            foreach (var (name, value) in gatewayEnvironment)
            {
                context.Variables[name] = value;
            }
        });
        builder.KeepOnly(ResourceNames.Gateway, BareProxy);

        var estate = await builder.StartHealthyAsync();
        var logFile = File.CreateText(logPath);
        var logs = estate.StreamLogsTo(line =>
        {
            lock (logFile)
            {
                logFile.WriteLine(line);
            }
        });
        return new ProxyPaths(estate, logs, logFile);
    }

    /// <summary>Log records the estate's dashboard has received over OTLP (held or already rotated out): the gateway's audit, mostly.</summary>
    public long LogRecordsReceived => _estate.Telemetry.Counts() is var counts ? counts.LogEntries + counts.DroppedLogEntries : 0;

    private int PidOf(string resource) =>
        _estate.GetSnapshot(resource).Replicas.Single().Pid ?? throw new InvalidOperationException($"{resource} has no process.");

    public async ValueTask DisposeAsync()
    {
        _logs.Dispose();
        await _estate.DisposeAsync();
        await _logFile.DisposeAsync();
    }
}
