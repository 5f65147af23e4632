using System.Collections.Concurrent;

namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>
/// One instance of each short, repeated string (attribute keys, span names, "GET", "127.0.0.1", "200"):
/// the protobuf parser allocates every string afresh, and at the limits the same few hundred keys and
/// values would otherwise be held hundreds of thousands of times. Bounded: long strings (ids, messages)
/// are never pooled, and once full the pool hands strings back as they are.
/// </summary>
internal sealed class StringPool(int capacity, int maxLength)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    public static StringPool Shared { get; } = new(capacity: 20_000, maxLength: 24);

    public string Intern(string value)
    {
        if (value.Length > maxLength)
        {
            return value;
        }

        if (_strings.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        return _strings.Count < capacity ? _strings.GetOrAdd(value, value) : value;
    }
}
