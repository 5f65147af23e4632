using HdrHistogram;

namespace LogisticsSync.LoadRunner.Measurement;

/// <summary>HdrHistograms in microseconds: 1 µs to 1 hour with 3 significant digits, so every value is kept to 0.1 %.</summary>
internal static class LatencyHistogram
{
    public const long HighestMicroseconds = 3_600_000_000;

    public static LongHistogram Create() => new(1, HighestMicroseconds, 3);

    /// <summary>For one second of the timeline: 2 digits are plenty for a chart and take a tenth of the memory.</summary>
    public static LongHistogram CreateCoarse() => new(1, HighestMicroseconds, 2);

    public static long Microseconds(TimeSpan value) => Math.Clamp(value.Ticks / TimeSpan.TicksPerMicrosecond, 1, HighestMicroseconds);

    public static double Milliseconds(long microseconds) => microseconds / 1000.0;
}
