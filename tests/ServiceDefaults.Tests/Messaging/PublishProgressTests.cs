using LogisticsSync.ServiceDefaults.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace LogisticsSync.ServiceDefaults.Tests.Messaging;

public sealed class PublishProgressTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Stuck_APublishWaitingPastThreshold_SaysSoUntilItEnds()
    {
        var progress = new PublishProgress("milestones", _time);
        progress.Started();
        _time.Advance(Threshold - TimeSpan.FromSeconds(1));
        Assert.Null(progress.Stuck(Threshold));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("milestones: a publish has waited 15 s", progress.Stuck(Threshold), StringComparison.Ordinal);

        progress.Succeeded();
        progress.Ended();
        Assert.Null(progress.Stuck(Threshold));
    }

    [Fact]
    public void Stuck_FailingPastThresholdAndStillTrying_SaysSoWithTheLastError()
    {
        var progress = new PublishProgress("outbox", _time);
        progress.Succeeded();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            progress.Failed(new InvalidOperationException($"closed #{attempt}"));
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var problem = progress.Stuck(Threshold);
        Assert.NotNull(problem);
        Assert.Contains("every publish has failed for 20 s, last: closed #3", problem, StringComparison.Ordinal);

        progress.Succeeded();
        Assert.Null(progress.Stuck(Threshold));
    }

    [Fact]
    public void Stuck_FailuresShorterThanThreshold_NotStuck()
    {
        var progress = new PublishProgress("outbox", _time);
        progress.Failed(new InvalidOperationException("closed"));
        _time.Advance(Threshold - TimeSpan.FromSeconds(1));
        progress.Failed(new InvalidOperationException("closed"));
        Assert.Null(progress.Stuck(Threshold));
    }

    [Fact]
    public void Stuck_LastFailureLongAgoAndNothingTriedSince_NotStuck()
    {
        var progress = new PublishProgress("outbox", _time);
        progress.Failed(new InvalidOperationException("closed"));
        _time.Advance(Threshold * 3);
        Assert.Null(progress.Stuck(Threshold));
    }
}
