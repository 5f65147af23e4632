namespace LogisticsSync.Hosting;

/// <summary>A command-line mistake: reported as a message and the usage, never as a stack trace.</summary>
public sealed class EstateUsageException(string message) : Exception(message);
