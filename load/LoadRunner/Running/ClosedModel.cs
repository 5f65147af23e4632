using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.LoadRunner.Running;

/// <summary>The closed model: copies loop, each starting its next iteration when the last one ends.</summary>
internal sealed class ClosedModel(ILoadClock clock, LoadTestOptions options, ScenarioRun run, ScenarioRecorder recorder, long[] iterations)
{
    public async Task PlayAsync(IReadOnlyList<LoadSimulation> stages, CancellationToken stop)
    {
        using var iterationStop = new CancellationTokenSource();
        foreach (var group in Groups(stages))
        {
            if (stop.IsCancellationRequested)
            {
                break;
            }

            await (group[0] is FixedIterations fixedIterations
                ? PlayFixedAsync(fixedIterations, iterationStop.Token, stop)
                : PlayCopiesAsync(group, iterationStop, stop));
        }
    }

    /// <summary>Consecutive copy stages form one group (copies carry over from one to the next); a fixed-iterations stage is a group of its own.</summary>
    private static List<List<LoadSimulation>> Groups(IReadOnlyList<LoadSimulation> stages)
    {
        var groups = new List<List<LoadSimulation>>();
        foreach (var stage in stages)
        {
            if (stage is FixedIterations || groups.Count == 0 || groups[^1][0] is FixedIterations)
            {
                groups.Add([stage]);
            }
            else
            {
                groups[^1].Add(stage);
            }
        }

        return groups;
    }

    private Task PlayFixedAsync(FixedIterations fixedIterations, CancellationToken iterationStop, CancellationToken stop)
    {
        var taken = 0L;
        return Task.WhenAll(Enumerable.Range(0, fixedIterations.Copies).Select(copy => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref taken) <= fixedIterations.Iterations)
            {
                await RunIterationAsync(copy, iterationStop);
            }
        }, CancellationToken.None)));
    }

    /// <summary>Keeps as many copies looping as the group's plan asks for at each moment, then lets them finish.</summary>
    private async Task PlayCopiesAsync(List<LoadSimulation> group, CancellationTokenSource iterationStop, CancellationToken stop)
    {
        var copies = new List<(Task Loop, CancellationTokenSource Retire)>();
        var groupStart = clock.Elapsed;
        while (!stop.IsCancellationRequested && CopiesPlan.CopiesAt(group, clock.Elapsed - groupStart) is { } target)
        {
            await AdjustCopiesAsync(copies, target, iterationStop.Token, stop);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var (_, retire) in copies)
        {
            await retire.CancelAsync();
        }

        var loops = Task.WhenAll(copies.Select(c => c.Loop));
        if (await Task.WhenAny(loops, Task.Delay(options.GracefulStop, CancellationToken.None)) != loops)
        {
            await iterationStop.CancelAsync();
        }

        await loops;
        copies.ForEach(c => c.Retire.Dispose());
    }

    /// <summary>Starts copies up to <paramref name="target"/> and retires the ones above it (each finishes its iteration).</summary>
    private async Task AdjustCopiesAsync(List<(Task Loop, CancellationTokenSource Retire)> copies, int target, CancellationToken iterationStop, CancellationToken stop)
    {
        for (var copy = copies.Count(c => !c.Retire.IsCancellationRequested); copy < target; copy++)
        {
            var retire = new CancellationTokenSource();
            var index = copies.Count;
            copies.Add((Task.Run(async () =>
            {
                while (!retire.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    await RunIterationAsync(index, iterationStop);
                }
            }, CancellationToken.None), retire));
        }

        foreach (var extra in copies.Where(c => !c.Retire.IsCancellationRequested).Skip(target).ToList())
        {
            await extra.Retire.CancelAsync();
        }
    }

    private Task RunIterationAsync(int copy, CancellationToken token)
    {
        var now = clock.Elapsed;
        recorder.IterationStarted(now, now, waitedForSlot: false);
        return ScenarioIteration.RunAsync(clock, run.Scenario, recorder, now, Interlocked.Increment(ref iterations[0]) - 1, copy, token);
    }
}
