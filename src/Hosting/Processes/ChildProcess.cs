using System.Diagnostics;

namespace LogisticsSync.Hosting.Processes;

/// <summary>One running child process: its output as lines, its exit, and how to stop or kill its whole tree.</summary>
internal sealed class ChildProcess
{
    private readonly Process _process;
    private readonly ProcessSpec _spec;
    private readonly TaskCompletionSource _outputDrained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private ChildProcess(Process process, ProcessSpec spec, ulong startTime)
    {
        _process = process;
        _spec = spec;
        StartTime = startTime;
    }

    public int Pid => _process.Id;

    /// <summary>The kernel's start time of the process, recorded with the pid so a reused pid is never killed.</summary>
    public ulong StartTime { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<ChildProcess> StartAsync(ProcessSpec spec, Action<string, bool> onLine)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in SetprivArguments(spec))
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing of the AppHost's own environment leaks into a child but what any program needs (ChildEnvironment).
        ChildEnvironment.Narrow(info.Environment);

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        var process = await ProcessSpawner.StartAsync(info);
        process.StandardInput.Close();
        var child = new ChildProcess(process, spec, ProcessTable.Read(process.Id)?.StartTime ?? 0);
        process.OutputDataReceived += (_, e) => child.OnData(e.Data, isError: false, onLine);
        process.ErrorDataReceived += (_, e) => child.OnData(e.Data, isError: true, onLine);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Completes when the process has exited and all of its output has been read.</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _outputDrained.Task.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Asks the process to stop with its own graceful signal, then kills what is left of its tree.</summary>
    public async Task StopAsync()
    {
        await StopTreeAsync(Pid, _spec.StopSignal, _spec.StopTimeout);
        await WaitForExitAsync();
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to <paramref name="pid"/>, waits for it and its descendants to go,
    /// then SIGKILLs whatever of the tree is left. Also for processes this AppHost did not start.
    /// </summary>
    internal static async Task StopTreeAsync(int pid, int signal, TimeSpan timeout)
    {
        // Descendants are collected first: once the root is gone they are re-parented and untraceable.
        var tree = ProcessTable.Descendants(pid).Prepend(pid).ToList();
        Posix.Signal(pid, signal);
        if (!await WaitForTreeExitAsync(tree, timeout))
        {
            KillTree(tree);
            await WaitForTreeExitAsync(tree, TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>SIGKILL to the process and all its descendants, as a crash would.</summary>
    public async Task KillAsync()
    {
        var tree = ProcessTable.Descendants(Pid).Prepend(Pid).ToList();
        KillTree(tree);
        await WaitForTreeExitAsync(tree, TimeSpan.FromSeconds(5));
        await WaitForExitAsync();
    }

    internal static void KillTree(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            Posix.Signal(pid, Posix.SigKill);
        }
    }

    internal static async Task<bool> WaitForTreeExitAsync(IReadOnlyCollection<int> pids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (pids.Any(ProcessTable.IsAlive))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(25);
        }

        return true;
    }

    private static IEnumerable<string> SetprivArguments(ProcessSpec spec)
    {
        // The child's own graceful signal: SIGTERM would be PostgreSQL's "smart" shutdown, waiting for clients.
        yield return "--pdeathsig";
        yield return spec.StopSignal == Posix.SigInt ? "INT" : "TERM";
        if (spec.RunAsUser is { } user)
        {
            yield return $"--reuid={user}";
            yield return $"--regid={user}";
            yield return "--init-groups";
        }

        // setsid puts the child in a session of its own, so a Ctrl+C on the AppHost's terminal reaches
        // the AppHost alone, which then stops the children in dependency order. Neither tool forks
        // here (setpriv execs; setsid only forks a process-group leader), so the pid we hold is the target's.
        yield return "--";
        yield return "setsid";
        yield return spec.FileName;
        foreach (var argument in spec.Arguments)
        {
            yield return argument;
        }
    }

    private void OnData(string? line, bool isError, Action<string, bool> onLine)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _openStreams) == 0)
            {
                _outputDrained.TrySetResult();
            }

            return;
        }

        onLine(line, isError);
    }
}
