using System.Diagnostics;

namespace LogisticsSync.LoadRunner.Measurement;

/// <summary>
/// Time as the runner sees it, from the start of the run. An interface rather than <see cref="TimeProvider"/>
/// because the runner needs "wait until this instant" and a test needs a clock that only moves when told.
/// </summary>
public interface ILoadClock
{
    TimeSpan Elapsed { get; }

    /// <summary>Returns at once when <paramref name="due"/> has passed.</summary>
    ValueTask WaitUntilAsync(TimeSpan due, CancellationToken cancellationToken);
}

/// <summary>The monotonic clock (<see cref="Stopwatch"/>), immune to wall-clock steps.</summary>
public sealed class StopwatchLoadClock : ILoadClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_start);

    public async ValueTask WaitUntilAsync(TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = due - Elapsed;
        // A timer fires no more precisely than about a millisecond; the starts that fall due meanwhile go out
        // together when it does, and their latency still counts from their own due time.
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait, cancellationToken);
        }
    }
}
