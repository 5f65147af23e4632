namespace LogisticsSync.Hosting.Runtime;

public sealed record ResourceLogLine(long Sequence, DateTimeOffset Timestamp, string Resource, int Replica, string Text, bool IsError)
{
    public string Source => $"{Resource}-{Replica}";
}

/// <summary>The console output of every resource: a bounded buffer per resource, and a live feed.</summary>
public sealed class ResourceLogs(int linesPerResource = 5_000)
{
    private readonly Dictionary<string, Queue<ResourceLogLine>> _buffers = [];
    private long _sequence;

    /// <summary>Raised for every line, on the thread that read it: handlers must be quick.</summary>
    public event Action<ResourceLogLine>? LineReceived;

    public void Append(string resource, int replica, string text, bool isError)
    {
        ResourceLogLine line;
        lock (_buffers)
        {
            if (!_buffers.TryGetValue(resource, out var buffer))
            {
                _buffers[resource] = buffer = new Queue<ResourceLogLine>();
            }

            line = new ResourceLogLine(++_sequence, DateTimeOffset.UtcNow, resource, replica, text, isError);
            buffer.Enqueue(line);
            if (buffer.Count > linesPerResource)
            {
                buffer.Dequeue();
            }
        }

        LineReceived?.Invoke(line);
    }

    public IReadOnlyList<ResourceLogLine> Tail(string resource, int count = int.MaxValue)
    {
        lock (_buffers)
        {
            return _buffers.TryGetValue(resource, out var buffer) ? buffer.TakeLast(count).ToList() : [];
        }
    }
}
