namespace LogisticsSync.LoadRunner.Simulations;

/// <summary>The closed model's target number of concurrent copies over time.</summary>
public static class CopiesPlan
{
    /// <summary>
    /// Copies wanted at <paramref name="elapsed"/> into the stages; null once the timed stages are over. A
    /// <see cref="FixedIterations"/> stage is not timed: the runner plays it on its own and this plan skips it.
    /// </summary>
    public static int? CopiesAt(IEnumerable<LoadSimulation> stages, TimeSpan elapsed)
    {
        var start = TimeSpan.Zero;
        var copies = 0;
        foreach (var stage in stages)
        {
            var end = start + stage.Duration;
            var into = elapsed - start;
            switch (stage)
            {
                case ConstantCopies constant:
                    if (elapsed < end)
                    {
                        return constant.Copies;
                    }

                    copies = constant.Copies;
                    break;
                case RampingCopies ramp:
                    if (elapsed < end)
                    {
                        return (int)Math.Round(copies + ((ramp.Copies - copies) * into / ramp.During), MidpointRounding.AwayFromZero);
                    }

                    copies = ramp.Copies;
                    break;
                case Pause:
                    if (elapsed < end)
                    {
                        return 0;
                    }

                    copies = 0;
                    break;
                case FixedIterations:
                    break;
                default:
                    throw new InvalidOperationException($"'{stage}' is not a closed-model stage");
            }

            start = end;
        }

        return null;
    }
}
