using LogisticsSync.Hosting.Model;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>The live side of one resource of the model.</summary>
internal abstract class ResourceRuntime(Resource resource)
{
    public Resource Resource { get; } = resource;

    public abstract ResourceState State { get; }

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public virtual IEnumerable<Resource> StartAfter => Resource.WaitsFor;

    public abstract void MarkWaiting();

    public abstract Task StartAsync(CancellationToken cancellationToken);

    public abstract Task StopAsync();

    public abstract Task KillAsync(int? replica);

    /// <summary>After every resource has stopped: helper processes, files.</summary>
    public virtual Task ShutdownAsync() => Task.CompletedTask;

    public abstract ResourceSnapshot Snapshot();

    /// <summary>How a replica was last started; null for resources that are not processes or have not started.</summary>
    public virtual LaunchDetails? LaunchDetails(int replica) => null;
}

/// <summary>A replica's command line and environment as it was started (secrets not masked: callers mask).</summary>
public sealed record LaunchDetails(string Command, IReadOnlyDictionary<string, string> Environment);

/// <summary>What the resource table, the control API and the dashboard show of a resource.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Type,
    ResourceState State,
    IReadOnlyList<ReplicaSnapshot> Replicas,
    IReadOnlyDictionary<string, string> Endpoints,
    IReadOnlyList<string> DependsOn,
    string? ConnectionStringName)
{
    public int Restarts => Replicas.Sum(r => r.Restarts);
}

public sealed record ReplicaSnapshot(
    int Replica,
    ResourceState State,
    int? Pid,
    int Restarts,
    DateTimeOffset? StartedAt,
    int? LastExitCode,
    string? Health,
    IReadOnlyDictionary<string, string> Endpoints);

internal sealed class ProcessResourceRuntime : ResourceRuntime
{
    private readonly ProcessResource _resource;
    private readonly IResourceLauncher _launcher;
    private readonly List<ReplicaRunner> _replicas;
    private readonly Lock _preparationLock = new();
    private Task? _preparation;

    public ProcessResourceRuntime(ProcessResource resource, IResourceLauncher launcher, EstateContext context) : base(resource)
    {
        _resource = resource;
        _launcher = launcher;
        _replicas = Enumerable.Range(0, resource.Replicas).Select(i => new ReplicaRunner(resource.Name, i, launcher, context)).ToList();
    }

    public string? PreparationError { get; private set; }

    public override ResourceState State => Aggregate(_replicas.Select(r => r.State));

    public override void MarkWaiting() => _replicas.ForEach(r => r.MarkWaiting());

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PrepareOnceAsync(cancellationToken);
            PreparationError = null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            PreparationError = e.Message;
            throw;
        }

        await Task.WhenAll(_replicas.Select(r => r.StartAsync()));
    }

    public override Task StopAsync() => Task.WhenAll(_replicas.Select(r => r.StopAsync()));

    public override Task KillAsync(int? replica) =>
        Task.WhenAll(_replicas.Where(r => replica is null || r.Replica == replica).Select(r => r.KillAsync()));

    public override async Task ShutdownAsync()
    {
        if (_preparation is { IsCompletedSuccessfully: true })
        {
            await _launcher.ShutdownAsync();
        }
    }

    /// <summary>Preparation runs once; a failed one (say, a missing build output) is tried again by the next start.</summary>
    private Task PrepareOnceAsync(CancellationToken cancellationToken)
    {
        lock (_preparationLock)
        {
            if (_preparation is null || _preparation.IsFaulted || _preparation.IsCanceled)
            {
                _preparation = _launcher.PrepareAsync(cancellationToken);
            }

            return _preparation;
        }
    }

    public override LaunchDetails? LaunchDetails(int replica) =>
        replica >= 0 && replica < _replicas.Count && _replicas[replica].LaunchedWith is { } spec
            ? new LaunchDetails(spec.DisplayCommand, spec.Environment.ToDictionary())
            : null;

    public override ResourceSnapshot Snapshot()
    {
        var replicas = _replicas.Select(r => new ReplicaSnapshot(
            r.Replica, r.State, r.Pid, r.Restarts, r.StartedAt, r.LastExitCode,
            r.State == ResourceState.FailedToStart ? r.HealthDescription : r.HealthDescription ?? PreparationError,
            EndpointsOf(r.Replica))).ToList();
        return new ResourceSnapshot(
            _resource.Name, _resource.TypeName, PreparationError is null ? State : ResourceState.FailedToStart, replicas,
            EndpointsOf(0), _resource.Dependencies.Select(d => d.Name).ToList(),
            _resource is IResourceWithConnectionString ? _resource.Name : null);
    }

    /// <summary>The worst state among the replicas: one crashed replica makes the resource not healthy.</summary>
    internal static ResourceState Aggregate(IEnumerable<ResourceState> states)
    {
        ReadOnlySpan<ResourceState> worstFirst =
        [
            ResourceState.FailedToStart, ResourceState.Exited, ResourceState.Restarting, ResourceState.Unhealthy,
            ResourceState.Stopping, ResourceState.NotStarted, ResourceState.Waiting, ResourceState.Starting,
            ResourceState.Running, ResourceState.Healthy,
        ];
        var present = states.ToHashSet();
        foreach (var state in worstFirst)
        {
            if (present.Contains(state))
            {
                return state;
            }
        }

        return ResourceState.NotStarted;
    }

    private Dictionary<string, string> EndpointsOf(int replica) =>
        replica < _resource.AllocatedEndpoints.Count
            ? _resource.AllocatedEndpoints[replica].ToDictionary(e => e.Key, e => e.Value.ToString())
            : [];
}
