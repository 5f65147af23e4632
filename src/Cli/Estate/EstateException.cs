namespace LogisticsSync.Cli.Estate;

/// <summary>A failure the user can act on, with the process exit code it maps to (2 usage/unknown, 3 no estate, 1 otherwise).</summary>
public sealed class EstateException(int exitCode, string message) : Exception(message)
{
    public const int NotRunning = 3;
    public const int Usage = 2;
    public const int Failed = 1;

    public int ExitCode { get; } = exitCode;
}
