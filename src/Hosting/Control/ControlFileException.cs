namespace LogisticsSync.Hosting.Control;

/// <summary>A <c>control.json</c> that is not one: not JSON (still being written, or truncated), or without the url or token.</summary>
public sealed class ControlFileException(string path, string reason, Exception? inner = null)
    : Exception($"{path} is not a control file ({reason})", inner)
{
    public string FilePath { get; } = path;
}
