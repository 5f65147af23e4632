namespace LogisticsSync.Hosting.Processes;

/// <summary>Reads /proc: liveness, start times (to tell a pid from its reuse) and process trees.</summary>
internal static class ProcessTable
{
    public sealed record Entry(int Pid, int ParentPid, char State, ulong StartTime, string Command);

    public static Entry? Read(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Alive means present and not a zombie: on these machines pid 1 does not reap orphans.</summary>
    public static bool IsAlive(int pid) => Read(pid) is { State: not ('Z' or 'X') };

    /// <summary>All descendants of <paramref name="rootPid"/>, children before grandchildren.</summary>
    public static IReadOnlyList<int> Descendants(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Read(pid) is { } entry)
            {
                if (!children.TryGetValue(entry.ParentPid, out var list))
                {
                    children[entry.ParentPid] = list = [];
                }

                list.Add(pid);
            }
        }

        var result = new List<int>();
        var queue = new Queue<int>([rootPid]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var child in children.GetValueOrDefault(parent, []))
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    // Field 2 (the command) is in parentheses and may itself contain spaces and parentheses.
    internal static Entry Parse(int pid, string stat)
    {
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        var command = stat[(open + 1)..close];
        var fields = stat[(close + 2)..].Split(' ');
        return new Entry(pid, int.Parse(fields[1]), fields[0][0], ulong.Parse(fields[19]), command);
    }
}
