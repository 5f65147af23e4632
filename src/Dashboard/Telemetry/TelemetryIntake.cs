namespace LogisticsSync.Dashboard.Telemetry;

/// <summary>Counts of OTLP batches and bytes (as sent, compressed or not) received per signal.</summary>
internal sealed class TelemetryIntake
{
    private readonly Dictionary<string, (long Batches, long Bytes)> _counts = [];

    public void Record(string signal, long bytes)
    {
        lock (_counts)
        {
            var (batches, total) = _counts.GetValueOrDefault(signal);
            _counts[signal] = (batches + 1, total + bytes);
        }
    }

    public IReadOnlyDictionary<string, TelemetryCount> Snapshot()
    {
        lock (_counts)
        {
            return _counts.ToDictionary(c => c.Key, c => new TelemetryCount(c.Value.Batches, c.Value.Bytes));
        }
    }
}

public sealed record TelemetryCount(long Batches, long Bytes);
