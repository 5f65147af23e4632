using LogisticsSync.Orchestrator.Work;

namespace LogisticsSync.Orchestrator.Tests.Work;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 500, 1000)]
    [InlineData(2, 1000, 2000)]
    [InlineData(3, 2000, 4000)]
    [InlineData(10, 5000, 10000)]
    [InlineData(1000, 5000, 10000)]
    public void Delay_DoublesPerAttemptUpToTheCap_WithEqualJitter(int attempt, double minMs, double maxMs)
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), random).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, minMs, maxMs));
        // Jitter: retries parked by one outage do not all come back at the same instant.
        Assert.True(delays.Distinct().Count() > 150);
    }
}
