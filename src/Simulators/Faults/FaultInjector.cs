using LogisticsSync.Simulators.Data;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Simulators.Faults;

/// <summary>
/// Fault decisions for one simulated system. Each decision is a pure function of the seed, the kind of
/// fault and what it is about (an order, an attempt), compared with the profile's current rate: the same
/// seed gives the same faults however requests interleave, and a rate changed at run time applies at once.
/// </summary>
internal sealed class FaultInjector(IOptionsMonitor<FaultProfile> profile, SimulationSeed seed, TimeProvider time)
{
    private static readonly TimeSpan OutagePoll = TimeSpan.FromMilliseconds(100);

    public FaultProfile Current => profile.CurrentValue;

    /// <summary>True with probability <paramref name="rate"/>, the same answer for the same seed, fault and subject.</summary>
    public bool Happens(double rate, string fault, string subject) => Decide(seed.Value, rate, fault, subject);

    public static bool Decide(int seed, double rate, string fault, string subject) =>
        rate > 0 && SeededRandom.Unit(seed, $"faults.{fault}", subject) < rate;

    /// <summary>The configured latency plus its jitter for this subject; zero when none is configured.</summary>
    public TimeSpan Latency(string subject)
    {
        var current = Current;
        var jitter = current.LatencyJitterMs > 0 ? SeededRandom.Unit(seed.Value, "faults.latency", subject) * current.LatencyJitterMs : 0;
        return TimeSpan.FromMilliseconds(current.LatencyMs + jitter);
    }

    public Task DelayAsync(string subject, CancellationToken cancellationToken) =>
        Latency(subject) is { } latency && latency > TimeSpan.Zero ? Task.Delay(latency, time, cancellationToken) : Task.CompletedTask;

    /// <summary>Returns once the system is not in an outage: work waits in place, none is dropped.</summary>
    public async Task WaitWhileOutageAsync(CancellationToken cancellationToken)
    {
        while (Current.Outage)
        {
            await Task.Delay(OutagePoll, time, cancellationToken);
        }
    }
}
