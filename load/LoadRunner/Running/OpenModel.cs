using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.LoadRunner.Running;

/// <summary>
/// The open model: every start is due at a time fixed in advance, whatever happened to the ones before it. The
/// starts are made by a thread of the scenario's own, so that they do not queue behind response handling in the
/// thread pool. Each iteration runs on that thread until its first real wait (an HTTP send); a step that burns
/// CPU before its first await delays the next starts, which then show up as late.
/// </summary>
internal sealed class OpenModel(ILoadClock clock, LoadTestOptions options, ScenarioRun run, ScenarioRecorder recorder, long[] iterations)
{
    public async Task PlayAsync(IEnumerable<TimeSpan> arrivals, TimeSpan origin, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(run.MaxConcurrency, run.MaxConcurrency);
        using var iterationStop = new CancellationTokenSource();
        await Task.Factory.StartNew(() => Dispatch(arrivals, origin, slots, iterationStop.Token, stop),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await DrainAsync(slots, iterationStop);
    }

    private void Dispatch(IEnumerable<TimeSpan> arrivals, TimeSpan origin, SemaphoreSlim slots, CancellationToken iterationStop, CancellationToken stop)
    {
        try
        {
            foreach (var offset in arrivals)
            {
                var intended = origin + offset;
                clock.WaitUntil(intended, stop);
                if (TakeSlot(slots, intended, stop) is not { } waited)
                {
                    recorder.Dropped(intended);
                    continue;
                }

                var iteration = Interlocked.Increment(ref iterations[0]) - 1;
                recorder.IterationStarted(intended, clock.Elapsed, waited);
                _ = ScenarioIteration.RunAsync(clock, run.Scenario, recorder, intended, iteration, run.MaxConcurrency - slots.CurrentCount, iterationStop)
                    .ContinueWith(_ => slots.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // aborted: stop starting, let the ones in flight finish
        }
    }

    /// <summary>
    /// A slot for a start due at <paramref name="intended"/>: whether it had to wait for one, or null when none came free
    /// within the maximum start delay (the start is dropped).
    /// </summary>
    private bool? TakeSlot(SemaphoreSlim slots, TimeSpan intended, CancellationToken stop)
    {
        if (!slots.Wait(0, CancellationToken.None))
        {
            var left = intended + options.MaxStartDelay - clock.Elapsed;
            return left > TimeSpan.Zero && slots.Wait(left, stop) ? true : null;
        }

        if (clock.Elapsed - intended > options.MaxStartDelay)
        {
            slots.Release();
            return null;
        }

        return false;
    }

    private async Task DrainAsync(SemaphoreSlim slots, CancellationTokenSource iterationStop)
    {
        var deadline = DateTime.UtcNow + options.GracefulStop;
        for (var i = 0; i < run.MaxConcurrency; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await slots.WaitAsync(left))
            {
                await iterationStop.CancelAsync();
                await slots.WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
    }
}
