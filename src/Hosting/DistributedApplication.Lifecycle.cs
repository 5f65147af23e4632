using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting;

// Start and stop: resources start once what they wait for is healthy, and stop after what depends on them.
public sealed partial class DistributedApplication
{
    /// <summary>Prepares the state folder and launches every resource; does not wait for health.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("The estate was started already.");
        }

        _started = true;
        _stateFolder.CreateAndLock();
        foreach (var leftover in await _context.PidRecords.StopLeftoversAsync())
        {
            _console.Info($"stopped a process a previous AppHost left running: {leftover}");
        }

        if (Options.Fresh)
        {
            _stateFolder.Wipe();
        }

        ResourceAddressing.AssignCredentials(Resources, _context);
        ResourceAddressing.AllocateEndpoints(Resources, _context);
        _controlApi = await ControlApi.StartAsync(this, Options.DashboardPort, _console, cancellationToken);
        _context.DashboardUrl = _controlApi.Url;
        _stateFolder.WriteControlFile(DashboardUrl, ControlToken);

        foreach (var runtime in _runtimes.Values)
        {
            runtime.MarkWaiting();
        }

        foreach (var runtime in _runtimes.Values)
        {
            _startTasks.Add(StartWhenDependenciesHealthyAsync(runtime, _lifetime.Token));
        }
    }

    /// <summary>Waits until every resource (or the named ones) is healthy; on timeout the error carries their output.</summary>
    public async Task WaitForHealthyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default, params string[] names)
    {
        var targets = names.Length == 0 ? _runtimes.Values.ToList() : names.Select(GetRuntime).ToList();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout ?? Options.StartTimeout);
        try
        {
            foreach (var target in targets)
            {
                await WaitHealthyAsync(target, timeoutSource.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(DescribeUnhealthy(targets));
        }
    }


    /// <summary>Stops every resource, dependents before what they depend on, gracefully then by force.</summary>
    public async Task StopAsync()
    {
        if (!_started || _stopped)
        {
            return;
        }

        _stopped = true;
        await _lifetime.CancelAsync();
        await Task.WhenAll(_startTasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var stopTasks = new Dictionary<Resource, Task>();
        foreach (var runtime in _runtimes.Values)
        {
            _ = StopAfterDependents(runtime.Resource);
        }

        await Task.WhenAll(stopTasks.Values);
        await Task.WhenAll(_runtimes.Values.Select(r => r.ShutdownAsync()));
        await _context.FaultProxies.DisposeAsync();
        if (_controlApi is not null)
        {
            await _controlApi.DisposeAsync();
        }

        _stateFolder.Release();

        // Over Dependencies (waits and servers), which is acyclic: services that reference each other in a
        // cycle stop side by side, each before the servers it uses.
        Task StopAfterDependents(Resource resource)
        {
            if (!stopTasks.TryGetValue(resource, out var task))
            {
                var dependents = Resources.Where(r => r.Dependencies.Contains(resource)).Select(StopAfterDependents).ToList();
                task = stopTasks[resource] = StopWhenAllDoneAsync(dependents, _runtimes[resource.Name]);
            }

            return task;
        }

        static async Task StopWhenAllDoneAsync(List<Task> dependents, ResourceRuntime runtime)
        {
            await Task.WhenAll(dependents);
            await runtime.StopAsync();
        }
    }


    private async Task StartWhenDependenciesHealthyAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var dependency in runtime.StartAfter)
            {
                await WaitHealthyAsync(GetRuntime(dependency.Name), cancellationToken);
            }

            await runtime.StartAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logs.Append(runtime.Resource.Name, 0, $"[estate] failed to start: {e.Message}", isError: true);
        }
    }

    private static async Task WaitHealthyAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        while (runtime.State != ResourceState.Healthy)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task<bool> WaitUntilHealthyOrTimeoutAsync(Task shutdown)
    {
        var healthy = WaitForHealthyAsync();
        await Task.WhenAny(healthy, shutdown);
        return healthy.IsCompletedSuccessfully;
    }

    private string DescribeUnhealthy(IEnumerable<ResourceRuntime> targets)
    {
        var lines = new List<string> { "Resources did not become healthy in time:" };
        foreach (var runtime in targets.Where(t => t.State != ResourceState.Healthy))
        {
            var snapshot = runtime.Snapshot();
            lines.Add($"--- {snapshot.Name}: {snapshot.State} ({string.Join("; ", snapshot.Replicas.Select(r => r.Health).OfType<string>().Distinct())})");
            lines.AddRange(Logs.Tail(snapshot.Name, 40).Select(l => $"    [{l.Source}] {l.Text}"));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
