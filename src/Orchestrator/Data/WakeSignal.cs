namespace LogisticsSync.Orchestrator.Data;

/// <summary>
/// Wakes a polling worker as soon as this replica wrote something for it, instead of waiting for its next poll.
/// Other replicas' writes are still found by polling: the signal only shortens the wait.
/// </summary>
internal abstract class WakeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every write before it.
        }
    }

    /// <summary>True when signalled, false when the timeout passed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
