namespace LogisticsSync.Hosting.Processes;

/// <summary>How to start one process and how to ask it to stop.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Run as this user (PostgreSQL refuses to run as root), or null for the current one.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>The graceful stop signal: SIGINT is PostgreSQL's fast shutdown, SIGTERM for the rest.</summary>
    public int StopSignal { get; init; } = Posix.SigTerm;

    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string DisplayCommand => string.Join(' ', Arguments.Prepend(FileName));
}
