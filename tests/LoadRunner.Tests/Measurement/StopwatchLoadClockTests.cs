using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.LoadRunner.Tests.Measurement;

public sealed class StopwatchLoadClockTests
{
    [Fact]
    public void WaitUntil_SubMillisecondAndLongerWaits_NeverReturnsEarly()
    {
        var clock = new StopwatchLoadClock();
        foreach (var ahead in new[] { 0.3, 1.5, 7.0 })
        {
            var due = clock.Elapsed + TimeSpan.FromMilliseconds(ahead);
            clock.WaitUntil(due, CancellationToken.None);
            Assert.True(clock.Elapsed >= due, $"returned {(due - clock.Elapsed).TotalMilliseconds} ms early");
        }
    }

    [Fact]
    public void WaitUntil_Cancelled_ThrowsAtOnce()
    {
        var clock = new StopwatchLoadClock();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        Assert.ThrowsAny<OperationCanceledException>(() => clock.WaitUntil(TimeSpan.FromSeconds(30), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }
}
