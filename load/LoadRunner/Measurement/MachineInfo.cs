using System.Globalization;
using System.Runtime.InteropServices;

namespace LogisticsSync.LoadRunner.Measurement;

/// <summary>The machine a run came from: figures from a 2-core laptop and a 32-core server are not comparable.</summary>
public sealed record MachineInfo(string Host, int Cores, string Cpu, string Memory, string OperatingSystem, string Runtime, string LoadAverage)
{
    public static MachineInfo Current() => new(
        Environment.MachineName,
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        MemoryTotal(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        ReadOrEmpty("/proc/loadavg").Split(' ').Take(3) is var load ? string.Join(' ', load) : "");

    public IEnumerable<(string Name, string Value)> Describe() =>
    [
        ("host", Host), ("cores", Cores.ToString(CultureInfo.InvariantCulture)), ("cpu", Cpu), ("memory", Memory),
        ("os", OperatingSystem), ("runtime", Runtime), ("load average at start (1, 5, 15 min)", LoadAverage),
    ];

    private static string MemoryTotal()
    {
        var kilobytes = FirstValue("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(kilobytes, CultureInfo.InvariantCulture, out var value) ? $"{value / 1024.0 / 1024.0:0.0} GiB" : "unknown";
    }

    private static string? FirstValue(string path, string key) =>
        ReadOrEmpty(path).Split('\n').Where(line => line.StartsWith(key, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault();

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
