namespace LogisticsSync.Dashboard.Telemetry;

// What the store keeps of a metric: its instruments, each with bounded series of points.
internal sealed class Instrument(MetricSample first)
{
    public string ResourceId { get; } = first.ResourceId;

    public string ServiceName { get; } = first.ServiceName;

    public Dictionary<string, MetricSeries> Series { get; } = [];

    public string Name => first.Name;

    public MetricInstrumentInfo Info() =>
        new(first.ResourceId, first.ServiceName, first.Scope, first.Name, first.Description, first.Unit, first.Kind, Series.Count);
}

internal sealed class MetricSeries(IReadOnlyList<TelemetryAttribute> attributes, int capacity)
{
    private HistogramTotals? _previous;
    private double _previousMean;

    public IReadOnlyList<TelemetryAttribute> Attributes { get; } = attributes;

    public RingBuffer<StoredPoint> Points { get; } = new(capacity);

    public MetricSeriesInfo Info() => new(Attributes, Points.OldestFirst().Select(p => p.ToPoint()).ToList());

    /// <returns>true when the oldest point was dropped to make room.</returns>
    public bool Add(MetricSample sample)
    {
        if (sample.Histogram is not { } totals)
        {
            return Points.Add(new StoredPoint(sample.Timestamp.UtcTicks, sample.Value, StoredPoint.NoCount), out _);
        }

        // Cumulative histograms carry totals since start: the interval is the difference from the
        // previous point (a restarted process starts from zero again, seen as totals going down).
        var (count, sum) = totals.IsCumulative && _previous is { } previous && totals.Count >= previous.Count
            ? (totals.Count - previous.Count, totals.Sum - previous.Sum)
            : (totals.Count, totals.Sum);
        _previous = totals;
        // An interval with no recordings has no mean: the line stays at the last one.
        var mean = count > 0 ? sum / count : _previousMean;
        _previousMean = mean;
        return Points.Add(new StoredPoint(sample.Timestamp.UtcTicks, mean, (long)count), out _);
    }
}

/// <summary>
/// A point as held: 24 bytes instead of the 40 of <see cref="MetricPoint"/> (DateTimeOffset and a
/// nullable count), which is most of the dashboard's memory at its limits (millions of points).
/// </summary>
internal readonly record struct StoredPoint(long UtcTicks, double Value, long Count)
{
    public const long NoCount = -1;

    public MetricPoint ToPoint() =>
        new(new DateTimeOffset(UtcTicks, TimeSpan.Zero), Value, Count == NoCount ? null : (ulong)Count);
}
