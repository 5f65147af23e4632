using LogisticsSync.Simulators.Roles;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Simulators.Data;

/// <summary>
/// Turns simulated durations (a 30-minute pick, a 2-day transit) into real waits by the time scale,
/// and waits through the injected <see cref="TimeProvider"/>, so tests can advance time instead of sleeping.
/// </summary>
internal sealed class SimulationClock(IOptions<SimulatorOptions> options, TimeProvider time)
{
    public TimeProvider Time => time;

    public double TimeScale => options.Value.TimeScale;

    public TimeSpan ToReal(TimeSpan simulated) => simulated / TimeScale;

    public Task DelayAsync(TimeSpan simulated, CancellationToken cancellationToken) =>
        simulated <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(ToReal(simulated), time, cancellationToken);
}

/// <summary>
/// The seed this process runs with: the configured one, or one drawn at start and logged, so an
/// unseeded run can still be replayed.
/// </summary>
internal sealed record SimulationSeed(int Value, bool Configured)
{
    public static SimulationSeed From(SimulatorOptions options) =>
        options.Seed is { } seed ? new(seed, Configured: true) : new(Random.Shared.Next(), Configured: false);
}

/// <summary>A range of simulated time, e.g. picking takes 10 to 45 minutes.</summary>
public sealed class DurationRange
{
    public TimeSpan Min { get; set; }

    public TimeSpan Max { get; set; }

    public DurationRange()
    {
    }

    public DurationRange(TimeSpan min, TimeSpan max) => (Min, Max) = (min, max);

    public TimeSpan Draw(Random random) => Max <= Min ? Min : Min + (Max - Min) * random.NextDouble();
}
