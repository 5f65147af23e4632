using System.Globalization;
using LogisticsSync.Hosting.Processes;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>
/// Keeps one replica of a resource running: starts it, probes its health, and restarts it with
/// exponential back-off when it exits without being asked to.
/// </summary>
internal sealed class ReplicaRunner(string resourceName, int replica, IResourceLauncher launcher, EstateContext context)
{
    /// <summary>A replica that stayed up this long is considered stable: its back-off starts over.</summary>
    internal static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeIntervalWhileStarting = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan ProbeIntervalWhenHealthy = TimeSpan.FromSeconds(2);
    private const int FailedProbesBeforeUnhealthy = 2;

    private readonly SemaphoreSlim _commandGate = new(1, 1);
    private readonly Lock _stateLock = new();
    private volatile ChildProcess? _process;
    private Task _loop = Task.CompletedTask;
    private CancellationTokenSource? _stopRequested;

    public int Replica { get; } = replica;

    public ResourceState State { get; private set; } = ResourceState.NotStarted;

    public int? Pid => _process is { HasExited: false } process ? process.Pid : null;

    public int Restarts { get; private set; }

    /// <summary>The command and environment of the last start, for the dashboard (which masks its secrets).</summary>
    public ProcessSpec? LaunchedWith { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public int? LastExitCode { get; private set; }

    public string? HealthDescription { get; private set; }

    private string PidKey => $"{resourceName}-{Replica}";

    /// <summary>Back-off before restart n (1-based): 1 s, 2 s, 4 s … capped at 30 s.</summary>
    internal static TimeSpan RestartDelay(int consecutiveCrashes) =>
        TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Max(0, consecutiveCrashes - 1))));

    public void MarkWaiting() => SetState(ResourceState.Waiting);

    public async Task StartAsync()
    {
        await _commandGate.WaitAsync();
        try
        {
            if (!_loop.IsCompleted)
            {
                return;
            }

            _stopRequested = new CancellationTokenSource();
            _loop = RunAsync(_stopRequested.Token);
        }
        finally
        {
            _commandGate.Release();
        }
    }

    public async Task StopAsync()
    {
        await _commandGate.WaitAsync();
        try
        {
            if (_loop.IsCompleted)
            {
                return;
            }

            await _stopRequested!.CancelAsync();
            SetState(ResourceState.Stopping);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (_process is { HasExited: false } process)
            {
                await process.StopAsync();
                Log(string.Create(CultureInfo.InvariantCulture, $"stopped in {clock.Elapsed.TotalSeconds:0.0} s (exit code {process.ExitCode})"), isError: false);
            }

            await _loop;
            SetState(ResourceState.Exited);
        }
        finally
        {
            _commandGate.Release();
        }
    }

    /// <summary>SIGKILL, as a crash would: the runner notices and restarts the replica.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Log("killed (SIGKILL) on request", isError: true);
            await process.KillAsync();
        }
    }

    private async Task RunAsync(CancellationToken stopRequested)
    {
        var consecutiveCrashes = 0;
        while (!stopRequested.IsCancellationRequested)
        {
            SetState(ResourceState.Starting);
            ChildProcess process;
            try
            {
                var spec = LaunchedWith = launcher.CreateSpec(Replica);
                process = await ChildProcess.StartAsync(spec, (line, isError) => context.Logs.Append(resourceName, Replica, line, isError));
            }
            catch (Exception e)
            {
                HealthDescription = e.Message;
                Log($"failed to start: {e.Message}", isError: true);
                SetState(ResourceState.FailedToStart);
                return;
            }

            try
            {
                consecutiveCrashes = await SuperviseAsync(process, consecutiveCrashes, stopRequested);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever went wrong around the process (a pid file, a signal), the replica stays
                // supervised: this life of it ends, and it starts again after a pause.
                Log($"supervision error, restarting: {e.Message}", isError: true);
                await process.KillAsync();
                await Task.Delay(RestartDelay(++consecutiveCrashes), stopRequested).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (consecutiveCrashes < 0)
            {
                return;
            }
        }
    }

    /// <summary>Runs one life of the process; returns the crash streak, or -1 when it was stopped on request.</summary>
    private async Task<int> SuperviseAsync(ChildProcess process, int consecutiveCrashes, CancellationToken stopRequested)
    {
        _process = process;
        StartedAt = process.StartedAt;
        context.PidRecords.Record(PidKey, process);
        if (stopRequested.IsCancellationRequested)
        {
            // A stop that came in while the process was being spawned did not see it yet.
            await process.StopAsync();
        }
        else
        {
            SetState(ResourceState.Running);
        }

        using (var probing = CancellationTokenSource.CreateLinkedTokenSource(stopRequested))
        {
            var probe = ProbeUntilExitAsync(process, probing.Token);
            await process.WaitForExitAsync(CancellationToken.None);
            await probing.CancelAsync();
            await probe;
        }

        context.PidRecords.Remove(PidKey);
        LastExitCode = process.ExitCode;
        if (stopRequested.IsCancellationRequested)
        {
            return -1;
        }

        Restarts++;
        consecutiveCrashes = DateTimeOffset.UtcNow - process.StartedAt > StableAfter ? 1 : consecutiveCrashes + 1;
        var delay = RestartDelay(consecutiveCrashes);
        Log(string.Create(CultureInfo.InvariantCulture, $"exited unexpectedly with code {process.ExitCode}; restart #{Restarts} in {delay.TotalSeconds:0.#} s"), isError: true);
        SetState(ResourceState.Restarting);
        try
        {
            await Task.Delay(delay, stopRequested);
        }
        catch (OperationCanceledException)
        {
            return -1;
        }

        return consecutiveCrashes;
    }

    private async Task ProbeUntilExitAsync(ChildProcess process, CancellationToken cancellationToken)
    {
        var everHealthy = false;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested && !process.HasExited)
        {
            HealthProbeResult result;
            try
            {
                result = await launcher.ProbeAsync(Replica, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A probe that throws is a failed probe: supervision must never stop over it.
                result = HealthProbeResult.Unhealthy(exception.Message);
            }

            if (process.HasExited || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            HealthDescription = result.Description;
            if (result.IsHealthy)
            {
                if (!everHealthy)
                {
                    Log(string.Create(CultureInfo.InvariantCulture, $"healthy {(DateTimeOffset.UtcNow - process.StartedAt).TotalSeconds:0.0} s after start: {result.Description}"), isError: false);
                }

                everHealthy = true;
                failures = 0;
                SetHealth(ResourceState.Healthy);
            }
            else if (everHealthy && ++failures >= FailedProbesBeforeUnhealthy)
            {
                SetHealth(ResourceState.Unhealthy);
            }

            try
            {
                await Task.Delay(everHealthy ? ProbeIntervalWhenHealthy : ProbeIntervalWhileStarting, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void SetState(ResourceState state)
    {
        lock (_stateLock)
        {
            State = state;
        }
    }

    /// <summary>A probe result only applies to a running replica: it must not overwrite Stopping or Exited.</summary>
    private void SetHealth(ResourceState state)
    {
        lock (_stateLock)
        {
            if (State is ResourceState.Running or ResourceState.Healthy or ResourceState.Unhealthy)
            {
                State = state;
            }
        }
    }

    private void Log(string message, bool isError) => context.Logs.Append(resourceName, Replica, "[estate] " + message, isError);
}
