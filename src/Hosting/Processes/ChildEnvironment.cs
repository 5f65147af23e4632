namespace LogisticsSync.Hosting.Processes;

/// <summary>
/// What a child inherits of the AppHost's own environment: only what any program needs to run on this machine
/// (the search path, locale, time zone, home and temporary folders, the .NET host's settings). Everything else the
/// AppHost was started with (a shell's tokens and credentials, CI secrets, the AppHost's own ASP.NET settings) stays
/// with it; what a child needs beyond this, the engine gives it by name (its <see cref="ProcessSpec.Environment"/>).
/// </summary>
internal static class ChildEnvironment
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
    };

    // LC_* is the locale (PostgreSQL's initdb reads it); DOTNET_* the .NET host's (DOTNET_ROOT, GC and diagnostics settings).
    private static readonly string[] Prefixes = ["LC_", "DOTNET_"];

    public static bool IsInherited(string name) =>
        Names.Contains(name) || Prefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Leaves in <paramref name="environment"/> (a copy of the AppHost's) only what a child inherits.</summary>
    public static void Narrow(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(name => !IsInherited(name)).ToList())
        {
            environment.Remove(name);
        }
    }
}
