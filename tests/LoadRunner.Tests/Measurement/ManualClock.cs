using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.LoadRunner.Tests.Measurement;

/// <summary>
/// Time moves only when a step says so or the runner waits for a due start, so a run with synchronous steps and
/// one slot is a deterministic sequence: no sleeping, no dependence on the machine's load.
/// </summary>
internal sealed class ManualClock : ILoadClock
{
    public TimeSpan Elapsed { get; private set; }

    public void Advance(TimeSpan by) => Elapsed += by;

    public void WaitUntil(TimeSpan due, CancellationToken cancellationToken)
    {
        if (due > Elapsed)
        {
            Elapsed = due;
        }
    }
}
