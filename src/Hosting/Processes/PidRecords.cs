using System.Globalization;

namespace LogisticsSync.Hosting.Processes;

/// <summary>
/// Pid files in the state folder, one per running child, so that after a <c>kill -9</c> of the AppHost
/// the next start finds and stops what the previous one left (a pid is trusted only if its start time matches).
/// </summary>
internal sealed class PidRecords(string directory)
{
    public void Record(string key, ChildProcess process)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(PathOf(key), string.Create(CultureInfo.InvariantCulture, $"{process.Pid} {process.StartTime}\n"));
    }

    public void Remove(string key) => File.Delete(PathOf(key));

    /// <summary>Stops every recorded process that is still alive; returns what it stopped.</summary>
    public async Task<IReadOnlyList<string>> StopLeftoversAsync()
    {
        var stopped = new List<string>();
        if (!Directory.Exists(directory))
        {
            return stopped;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.pid"))
        {
            if (TryReadLive(file) is { } entry)
            {
                await ChildProcess.StopTreeAsync(entry.Pid, Posix.SigTerm, TimeSpan.FromSeconds(8));

                stopped.Add($"{Path.GetFileNameWithoutExtension(file)} (pid {entry.Pid}, {entry.Command})");
            }

            File.Delete(file);
        }

        return stopped;
    }

    private static ProcessTable.Entry? TryReadLive(string file)
    {
        var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
            || !ulong.TryParse(parts[1], CultureInfo.InvariantCulture, out var startTime))
        {
            return null;
        }

        var entry = ProcessTable.Read(pid);
        return entry is { State: not ('Z' or 'X') } && entry.StartTime == startTime ? entry : null;
    }

    private string PathOf(string key) => Path.Combine(directory, key + ".pid");
}
