namespace LogisticsSync.Cli.Arguments;

/// <summary>The command line is wrong: exit code 2 with the verb's help.</summary>
public sealed class UsageException(string message) : Exception(message);
