namespace LogisticsSync.Hosting.Runtime;

public sealed record ResourceLogLine(long Sequence, DateTimeOffset Timestamp, string Resource, int Replica, string Text, bool IsError)
{
    public string Source => $"{Resource}-{Replica}";
}

/// <summary>
/// The console output of every resource: a bounded buffer per resource (by lines and by characters), and a
/// live feed. Lines are made safe to print before they are kept: terminal control sequences are removed (a
/// service echoing a partner's input must not recolour, move or retitle the operator's terminal) and an
/// oversized line is truncated.
/// </summary>
public sealed class ResourceLogs(int linesPerResource = 5_000, int maxLineLength = 8_192, long charactersPerResource = 4L << 20)
{
    private readonly Dictionary<string, Buffer> _buffers = [];
    private long _sequence;

    /// <summary>Raised for every line, on the thread that read it: handlers must be quick.</summary>
    public event Action<ResourceLogLine>? LineReceived;

    public void Append(string resource, int replica, string text, bool isError)
    {
        var safe = ConsoleText.Sanitize(text, maxLineLength);
        ResourceLogLine line;
        lock (_buffers)
        {
            if (!_buffers.TryGetValue(resource, out var buffer))
            {
                _buffers[resource] = buffer = new Buffer();
            }

            line = new ResourceLogLine(++_sequence, DateTimeOffset.UtcNow, resource, replica, safe, isError);
            buffer.Lines.Enqueue(line);
            buffer.Characters += safe.Length;
            while (buffer.Lines.Count > 1 && (buffer.Lines.Count > linesPerResource || buffer.Characters > charactersPerResource))
            {
                buffer.Characters -= buffer.Lines.Dequeue().Text.Length;
            }
        }

        LineReceived?.Invoke(line);
    }

    public IReadOnlyList<ResourceLogLine> Tail(string resource, int count = int.MaxValue)
    {
        lock (_buffers)
        {
            return _buffers.TryGetValue(resource, out var buffer) ? buffer.Lines.TakeLast(count).ToList() : [];
        }
    }

    private sealed class Buffer
    {
        public Queue<ResourceLogLine> Lines { get; } = new();

        public long Characters { get; set; }
    }
}
