using System.Globalization;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;

namespace LogisticsSync.Load.MilestoneThroughput;

/// <summary>The milestones each shipment gets: WMS's three, then TMS's tender.</summary>
internal static class Milestones
{
    public static readonly (ShipmentMilestone Milestone, string Source)[] All =
    [
        (ShipmentMilestone.Allocated, "wms"), (ShipmentMilestone.Picked, "wms"), (ShipmentMilestone.Packed, "wms"), (ShipmentMilestone.Tendered, "tms"),
    ];

    public static int Count => All.Length;
}

/// <summary>
/// CPU time each part of the estate spent, from /proc (processes that died in between, such as
/// PostgreSQL backends of closed connections, are missed): on a shared 2-core box wall-clock rates move
/// with whatever else runs, while CPU per milestone stays put, so the report gives both.
/// </summary>
internal sealed class CpuUsage
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly Dictionary<string, double> _seconds;
    private readonly double _machineBusySeconds;

    private CpuUsage(Dictionary<string, double> seconds, double machineBusySeconds)
    {
        _seconds = seconds;
        _machineBusySeconds = machineBusySeconds;
    }

    /// <summary>Samples this process and its descendants (the estate's servers and services), not other work on the box.</summary>
    public static CpuUsage Sample()
    {
        var processes = new Dictionary<int, (int Parent, string CommandLine, double Seconds)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // After "pid (comm) ": state, ppid, … utime and stime (fields 14 and 15 of stat).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                processes[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), commandLine, ticks / TicksPerSecond);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        var seconds = new Dictionary<string, double>();
        foreach (var (pid, process) in processes)
        {
            if (IsOurs(pid, processes))
            {
                var part = PartOf(pid, process.CommandLine);
                seconds[part] = seconds.GetValueOrDefault(part) + process.Seconds;
            }
        }

        var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user, nice, system, irq, softirq, steal count as busy; idle and iowait do not.
        var busy = machine[0] + machine[1] + machine[2] + machine[5] + machine[6] + machine[7];
        return new CpuUsage(seconds, busy / TicksPerSecond);
    }

    private static bool IsOurs(int pid, Dictionary<int, (int Parent, string CommandLine, double Seconds)> processes)
    {
        for (var hops = 0; hops < 64 && pid > 1; hops++)
        {
            if (pid == Environment.ProcessId)
            {
                return true;
            }

            pid = processes.TryGetValue(pid, out var process) ? process.Parent : 0;
        }

        return false;
    }

    /// <summary>CPU seconds per part between two samples, and what the rest of the machine spent.</summary>
    public static IReadOnlyList<(string Part, double Seconds)> Between(CpuUsage before, CpuUsage after)
    {
        var parts = after._seconds.Select(p => (p.Key, Seconds: p.Value - before._seconds.GetValueOrDefault(p.Key))).ToList();
        parts.Add(("everything else on the machine", after._machineBusySeconds - before._machineBusySeconds - parts.Sum(p => p.Seconds)));
        return parts;
    }

    private static string PartOf(int pid, string commandLine) => commandLine switch
    {
        _ when pid == Environment.ProcessId => "benchmark client (publishing, polling)",
        _ when commandLine.Contains("beam.smp", StringComparison.Ordinal) => "RabbitMQ",
        _ when commandLine.StartsWith("postgres", StringComparison.Ordinal) || commandLine.Contains("/postgresql/", StringComparison.Ordinal) => "PostgreSQL",
        _ when commandLine.Contains("Orchestrator", StringComparison.Ordinal) => "orchestrator replicas",
        _ => "the estate's other processes",
    };
}
