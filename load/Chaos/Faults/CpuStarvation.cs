using System.Diagnostics;
using System.Globalization;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Scenarios;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>
/// CPU starvation of one process without stress-ng (not installed here): the victim and its children are pinned
/// with <c>taskset</c> to one core, and busy-loop processes pinned to the same core compete with it, so the
/// scheduler gives it about 1/(hogs + 1) of that core. The share it really got is measured from /proc (utime +
/// stime) and reported. At the end the hogs are killed (by the pids this runner started) and the affinity restored.
/// </summary>
internal sealed class CpuStarvation(ControlApiClient control, FaultStep step) : IFaultAction
{
    private readonly List<Process> _hogs = [];
    private readonly Dictionary<int, string> _masks = [];
    private long _ticksAtStart;
    private long _startedAt;
    private int _victim;

    public string? Measured { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var replicas = await control.ReplicasAsync(cancellationToken);
        _victim = replicas.FirstOrDefault(r => r.Resource == step.Target && r.Replica == (step.Replica ?? 0))?.Pid
            ?? throw new InvalidOperationException($"{step.Target} has no running process to starve");
        var core = (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture);
        foreach (var pid in WithDescendants(_victim))
        {
            var mask = await RunAsync("taskset", ["-p", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            _masks[pid] = mask.Split(':').Last().Trim();
            await RunAsync("taskset", ["-a", "-p", "-c", core, pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        }

        for (var i = 0; i < step.Settings.Hogs; i++)
        {
            _hogs.Add(Process.Start(new ProcessStartInfo("taskset", ["-c", core, "sh", "-c", "while :; do :; done"]) { UseShellExecute = false })!);
        }

        _ticksAtStart = CpuTicks(_victim);
        _startedAt = Stopwatch.GetTimestamp();
    }

    public async Task EndAsync(CancellationToken cancellationToken)
    {
        var ticks = CpuTicks(_victim) - _ticksAtStart;
        var seconds = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
        foreach (var hog in _hogs)
        {
            hog.Kill();
            await hog.WaitForExitAsync(cancellationToken);
            hog.Dispose();
        }

        foreach (var (pid, mask) in _masks.Where(m => Directory.Exists($"/proc/{m.Key}")))
        {
            await RunAsync("taskset", ["-a", "-p", mask, pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        }

        // USER_HZ is 100 on Linux: a tick is 10 ms of CPU.
        Measured = ticks < 0
            ? "the victim restarted during the window: its CPU share was not measured"
            : $"victim pid {_victim} got {ticks / (seconds * 100):P0} of a core beside {_hogs.Count} busy loops on core {Environment.ProcessorCount - 1}";
    }

    private static long CpuTicks(int pid)
    {
        try
        {
            // after the command name (in parentheses, may hold spaces): fields 14 and 15 are utime and stime
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return long.MinValue / 2;
        }
    }

    private static List<int> WithDescendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // the process ended while we looked
                }
            }
        }

        var found = new List<int> { root };
        for (var i = 0; i < found.Count; i++)
        {
            found.AddRange(parents.Where(p => p.Value == found[i]).Select(p => p.Key));
        }

        return found;
    }

    private static async Task<string> RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return output;
    }
}
