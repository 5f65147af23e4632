namespace LogisticsSync.Orchestrator.Timers;

/// <summary>When this replica's timer worker last completed a poll (fired what was due, or found nothing due); read by its health check.</summary>
internal sealed class TimerProgress(TimeProvider time)
{
    private long _lastPolledTicks = time.GetUtcNow().UtcTicks;

    /// <summary>The last completed poll, or the start of the process before the first.</summary>
    public DateTimeOffset LastPolled => new(Interlocked.Read(ref _lastPolledTicks), TimeSpan.Zero);

    public void Polled() => Interlocked.Exchange(ref _lastPolledTicks, time.GetUtcNow().UtcTicks);
}
