using System.Diagnostics;

namespace LogisticsSync.LoadRunner.Measurement;

/// <summary>
/// Time as the runner sees it, from the start of the run. An interface rather than <see cref="TimeProvider"/>
/// because the runner needs "block until this instant" and a test needs a clock that only moves when told.
/// </summary>
public interface ILoadClock
{
    TimeSpan Elapsed { get; }

    /// <summary>Blocks the calling thread (the open model's own dispatcher thread) until <paramref name="due"/>; never returns before it.</summary>
    void WaitUntil(TimeSpan due, CancellationToken cancellationToken);
}

/// <summary>The monotonic clock (<see cref="Stopwatch"/>), immune to wall-clock steps.</summary>
public sealed class StopwatchLoadClock : ILoadClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public void WaitUntil(TimeSpan due, CancellationToken cancellationToken)
    {
        // A kernel wait on a thread of its own wakes on time even when the thread pool is swamped with responses;
        // rounding up means a start is at most a millisecond late and never early (an early send would flatter
        // the latency counted from the due time).
        for (var wait = due - Elapsed; wait > TimeSpan.Zero; wait = due - Elapsed)
        {
            if (cancellationToken.WaitHandle.WaitOne((int)Math.Ceiling(wait.TotalMilliseconds)))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
