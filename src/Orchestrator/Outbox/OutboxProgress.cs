namespace LogisticsSync.Orchestrator.Outbox;

/// <summary>When this replica's dispatcher last got a batch confirmed and marked sent; read by the outbox health check.</summary>
internal sealed class OutboxProgress(TimeProvider time)
{
    private long _lastPublishedTicks = time.GetUtcNow().UtcTicks;

    /// <summary>The last confirmed batch, or the start of the process before the first.</summary>
    public DateTimeOffset LastPublished => new(Interlocked.Read(ref _lastPublishedTicks), TimeSpan.Zero);

    public void Published() => Interlocked.Exchange(ref _lastPublishedTicks, time.GetUtcNow().UtcTicks);
}
