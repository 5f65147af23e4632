using System.Globalization;

namespace LogisticsSync.Load.GatewayOverhead;

/// <summary>
/// CPU time a process has used (user + system, from <c>/proc/{pid}/stat</c>). CPU per request is the
/// steadier measure on a shared 2-core machine: other work changes how many requests a proxy gets
/// through in a second far more than what each request costs it.
/// </summary>
internal static class ProcessCpu
{
    // USER_HZ is 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)); /proc reports in those ticks.
    private const double TicksPerSecond = 100;

    public static TimeSpan Used(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The CPUs the process may run on (<c>Cpus_allowed_list</c>), to show that every process had the same.</summary>
    public static string Affinity(int pid) =>
        File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?";
}
