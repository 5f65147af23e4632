namespace LogisticsSync.Load.Chaos.Estate;

/// <summary>The estate to run against cannot be reached or read: told as a message with a way out, never a stack trace.</summary>
public sealed class ChaosTargetException(string message, Exception? inner = null) : Exception(message, inner);
