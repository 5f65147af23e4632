using LogisticsSync.Orchestrator.Outbox;

namespace LogisticsSync.Orchestrator.Tests.Outbox;

public sealed class OutboxHealthCheckTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Stuck_OldUnsentRowAndNoPublishForAsLong_SaysSo()
    {
        var problem = OutboxHealthCheck.Stuck(oldestUnsent: Now.AddSeconds(-45), lastPublished: Now.AddSeconds(-40), Now, Threshold);

        Assert.Equal("outbox stuck: the oldest unsent event is 45 s old and nothing was published for 40 s", problem);
    }

    [Fact]
    public void Stuck_OldBacklogButPublishedRecently_DrainingNotStuck() =>
        Assert.Null(OutboxHealthCheck.Stuck(oldestUnsent: Now.AddMinutes(-10), lastPublished: Now.AddSeconds(-1), Now, Threshold));

    [Fact]
    public void Stuck_UnsentRowYoungerThanThreshold_NotStuck() =>
        Assert.Null(OutboxHealthCheck.Stuck(oldestUnsent: Now.AddSeconds(-29), lastPublished: Now.AddHours(-1), Now, Threshold));

    [Fact]
    public void Stuck_NothingUnsent_NotStuckHoweverLongSinceTheLastPublish() =>
        Assert.Null(OutboxHealthCheck.Stuck(oldestUnsent: null, lastPublished: Now.AddDays(-1), Now, Threshold));
}
