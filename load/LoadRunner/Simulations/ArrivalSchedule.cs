namespace LogisticsSync.LoadRunner.Simulations;

/// <summary>
/// The open model's start times, all fixed before the run: arrival k is due when the integral of the rate from
/// the scenario's start reaches k. Spacing is even at a constant rate and stays even across stage boundaries
/// (the fractional remainder carries over), so no stage starts with a burst.
/// </summary>
public static class ArrivalSchedule
{
    /// <summary>Lazily, in order; <paramref name="seed"/> fixes the draws of <see cref="RandomRate"/> stages.</summary>
    public static IEnumerable<TimeSpan> Arrivals(IEnumerable<LoadSimulation> stages, int seed = 1)
    {
        var emitted = 0L;
        var before = 0.0; // arrivals owed by the stages already passed (a real number: the remainder carries)
        foreach (var segment in Segments(stages, seed))
        {
            var seconds = segment.Duration.TotalSeconds;
            var total = (segment.StartRate + segment.EndRate) / 2 * seconds;
            while (emitted < before + total - 1e-9)
            {
                var offset = TimeAtCount(segment.StartRate, segment.EndRate, seconds, emitted - before);
                yield return segment.Start + TimeSpan.FromSeconds(offset);
                emitted++;
            }

            before += total;
        }
    }

    /// <summary>Total planned starts (for progress and the report).</summary>
    public static long Count(IEnumerable<LoadSimulation> stages, int seed = 1) =>
        (long)Math.Ceiling(Segments(stages, seed).Sum(s => (s.StartRate + s.EndRate) / 2 * s.Duration.TotalSeconds) - 1e-9);

    /// <summary>The stages as pieces of linear rate: a random stage becomes one constant piece per second.</summary>
    internal static IEnumerable<RateSegment> Segments(IEnumerable<LoadSimulation> stages, int seed)
    {
        var random = new Random(seed);
        var start = TimeSpan.Zero;
        var rate = 0.0;
        foreach (var stage in stages)
        {
            switch (stage)
            {
                case ConstantRate constant:
                    yield return new RateSegment(start, constant.During, constant.PerSecond, constant.PerSecond);
                    rate = constant.PerSecond;
                    break;
                case RampingRate ramp:
                    yield return new RateSegment(start, ramp.During, rate, ramp.PerSecond);
                    rate = ramp.PerSecond;
                    break;
                case RandomRate randomRate:
                    for (var second = TimeSpan.Zero; second < randomRate.During; second += TimeSpan.FromSeconds(1))
                    {
                        rate = randomRate.MinPerSecond + (random.NextDouble() * (randomRate.MaxPerSecond - randomRate.MinPerSecond));
                        var piece = randomRate.During - second < TimeSpan.FromSeconds(1) ? randomRate.During - second : TimeSpan.FromSeconds(1);
                        yield return new RateSegment(start + second, piece, rate, rate);
                    }

                    break;
                case Pause pause:
                    yield return new RateSegment(start, pause.During, 0, 0);
                    rate = 0;
                    break;
                default:
                    throw new InvalidOperationException($"'{stage}' is not an open-model stage");
            }

            start += stage.Duration;
        }
    }

    /// <summary>
    /// Solves r0·t + (r1 − r0)·t²/(2D) = n for t. Written as 2n / (r0 + √(r0² + 2an)) so that it stays exact when the
    /// rate does not change (a = 0) and when it falls.
    /// </summary>
    private static double TimeAtCount(double startRate, double endRate, double seconds, double count)
    {
        if (count <= 0)
        {
            return 0;
        }

        var acceleration = (endRate - startRate) / seconds;
        var root = Math.Sqrt(Math.Max(0, (startRate * startRate) + (2 * acceleration * count)));
        return startRate + root <= 0 ? seconds : Math.Min(seconds, 2 * count / (startRate + root));
    }

    internal readonly record struct RateSegment(TimeSpan Start, TimeSpan Duration, double StartRate, double EndRate);
}
