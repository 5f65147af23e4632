using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.LoadRunner.Thresholds;

namespace LogisticsSync.LoadRunner.Running;

/// <summary>Runs several scenarios side by side, each under its own load, and measures them.</summary>
public sealed class LoadTest
{
    private readonly IReadOnlyList<ScenarioRun> _runs;
    private readonly LoadTestOptions _options;
    private readonly ILoadClock _clock;
    private readonly IReadOnlyList<double> _percentiles;

    private LoadTest(IReadOnlyList<ScenarioRun> runs, LoadTestOptions options)
    {
        _runs = runs;
        _options = options;
        _clock = options.Clock ?? new StopwatchLoadClock();
        _percentiles = [.. options.Percentiles.Concat(options.Thresholds.Select(t => t.Percentile).OfType<double>()).Append(50).Append(99).Distinct().Order()];
    }

    public static async Task<LoadTestResult> RunAsync(IReadOnlyList<ScenarioRun> runs, LoadTestOptions options, CancellationToken cancellationToken = default)
    {
        Validate(runs);
        foreach (var run in runs)
        {
            if (run.Scenario.Init is { } init)
            {
                await init(cancellationToken);
            }
        }

        return await new LoadTest(runs, options).RunAsync(cancellationToken);
    }

    private async Task<LoadTestResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? abortReason = null;
        var iterations = _runs.Select(_ => new long[1]).ToArray();

        var warmUps = _runs.Select(run => new ScenarioRecorder(run.Scenario.Name, run.Scenario.Steps.Select(s => s.Name), TimeSpan.MaxValue, _options.StartTolerance)).ToList();
        if (_options.WarmUp > TimeSpan.Zero)
        {
            await using var live = StartLive(warmUps, warmingUp: true, TimeSpan.Zero, abort, _ => { });
            await Task.WhenAll(_runs.Select((run, i) => PlayAsync(run, [WarmUpStage(run, _options.WarmUp)], TimeSpan.Zero, warmUps[i], iterations[i], abort.Token)));
        }

        // The measured phase starts when the warm-up period is over, not when its last iteration happened to end.
        var origin = _clock.Elapsed < _options.WarmUp ? _options.WarmUp : _clock.Elapsed;
        var recorders = _runs.Select(run => new ScenarioRecorder(run.Scenario.Name, run.Scenario.Steps.Select(s => s.Name), origin, _options.StartTolerance)).ToList();
        await using (StartLive(recorders, warmingUp: false, origin, abort, reason => abortReason ??= reason))
        {
            await Task.WhenAll(_runs.Select((run, i) => PlayAsync(run, run.Load, origin, recorders[i], iterations[i], abort.Token)));
        }

        if (abortReason is null && cancellationToken.IsCancellationRequested)
        {
            abortReason = "cancelled by the user";
        }

        var now = _clock.Elapsed;
        var results = _runs.Select((run, i) => recorders[i].Snapshot(_percentiles, Settings(run), now, final: true)).ToList();
        var outcomes = Evaluate(results, abortReason);
        return new LoadTestResult(_options.Title, startedAt, now - origin, _options.WarmUp, results, outcomes, Warnings(results), MachineInfo.Current(),
            _percentiles, [.. _options.Sections], abortReason);
    }

    private List<ThresholdOutcome> Evaluate(List<ScenarioResult> results, string? abortReason) =>
        [.. _options.Thresholds.SelectMany(threshold => results.Where(r => threshold.AppliesTo(r.Name))
            .Select(r => threshold.Evaluate(r, abortReason?.Contains(threshold.Text, StringComparison.Ordinal) == true)))];

    private static List<string> Warnings(List<ScenarioResult> results)
    {
        var warnings = new List<string>();
        foreach (var result in results)
        {
            var starts = result.Starts;
            if (starts.GeneratorSaturated)
            {
                warnings.Add($"{result.Name}: the load generator itself fell behind: {starts.LateWithoutWaiting} starts ({(double)starts.LateWithoutWaiting / starts.Started:P1}) were more than " +
                             $"{starts.Tolerance.TotalMilliseconds:0} ms late with a free slot (start delay p99 {starts.Delay.At(99):0.#} ms). " +
                             "The machine is saturated; figures describe the generator as much as the system.");
            }

            if (starts.WaitedForSlot > 0)
            {
                warnings.Add($"{result.Name}: {starts.WaitedForSlot} starts found all {result.MaxConcurrency} slots busy and waited (the wait counts in latency); " +
                             "the system could not keep up at this rate, or --max-concurrency is too low.");
            }

            if (starts.Dropped > 0)
            {
                warnings.Add($"{result.Name}: {starts.Dropped} of {starts.Started + starts.Dropped} due starts were dropped (could not start in time); " +
                             "their latency is not in the histograms.");
            }
        }

        return warnings;
    }

    private IAsyncDisposable StartLive(List<ScenarioRecorder> recorders, bool warmingUp, TimeSpan origin, CancellationTokenSource abort, Action<string> aborted)
    {
        var loopStop = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        var planned = warmingUp ? _options.WarmUp : PlannedDuration();
        var loop = Task.Run(async () =>
        {
            // Real time, not the load clock: a test's clock moves only when its steps say so.
            using var timer = new PeriodicTimer(_options.LiveInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(loopStop.Token))
                {
                    Check(recorders, warmingUp, planned, origin, abort, aborted);
                }
            }
            catch (OperationCanceledException)
            {
                // the phase ended
            }
        });
        return new Stopper(async () =>
        {
            await loopStop.CancelAsync();
            await loop;
            loopStop.Dispose();
        });
    }

    private void Check(List<ScenarioRecorder> recorders, bool warmingUp, TimeSpan? planned, TimeSpan origin, CancellationTokenSource abort, Action<string> aborted)
    {
        var now = _clock.Elapsed;
        var snapshots = recorders.Select((r, i) => (Recorder: r, Result: r.Snapshot(_percentiles, Settings(_runs[i]), now, final: false))).ToList();
        var outcomes = warmingUp
            ? []
            : _options.Thresholds.SelectMany(t => snapshots.Where(s => t.AppliesTo(s.Result.Name) && s.Result.Total.Count >= Threshold.MinimumRequestsForLiveCheck)
                .Select(s => (Threshold: t, Outcome: t.Evaluate(s.Result)))).ToList();
        var breach = outcomes.FirstOrDefault(o => o.Threshold.AbortOnBreach && !o.Outcome.Passed);
        if (breach.Threshold is not null && !abort.IsCancellationRequested)
        {
            aborted($"threshold '{breach.Threshold.Text}' breached on {breach.Outcome.Scenario} ({breach.Outcome.Actual}) at {(now - origin).TotalSeconds:0.#} s");
            abort.Cancel();
        }

        _options.OnLive?.Invoke(new LiveStatus(now - origin, planned, warmingUp,
            [.. snapshots.Select(s => new LiveScenario(s.Result.Name, s.Result.Total.Ok, s.Result.Total.Fail,
                s.Recorder.LastSecond(now, _percentiles) is { } last ? last.Ok + last.Fail : 0,
                s.Result.Total.Latency.At(50), s.Result.Total.Latency.At(99), s.Result.Starts.Dropped, s.Recorder.InFlight))],
            [.. outcomes.Select(o => o.Outcome)]));
    }

    private TimeSpan? PlannedDuration() =>
        _runs.Any(r => r.Load.Any(s => s is FixedIterations)) ? null : _runs.Max(r => r.Load.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration));

    private Task PlayAsync(ScenarioRun run, IReadOnlyList<LoadSimulation> stages, TimeSpan origin, ScenarioRecorder recorder, long[] iterations, CancellationToken stop) =>
        run.Model == LoadModel.Open
            ? new OpenModel(_clock, _options, run, recorder, iterations).PlayAsync(ArrivalSchedule.Arrivals(stages, run.Seed), origin, stop)
            : new ClosedModel(_clock, _options, run, recorder, iterations).PlayAsync(stages, stop);

    /// <summary>Warm-up runs at the level the first stage starts from, so that a ramp still ramps afterwards.</summary>
    private static LoadSimulation WarmUpStage(ScenarioRun run, TimeSpan during) => run.Load.FirstOrDefault(s => s is not Pause) switch
    {
        ConstantRate rate => rate with { During = during },
        RampingRate ramp => new ConstantRate(Math.Max(1, ramp.PerSecond / 10), during),
        RandomRate random => new ConstantRate(Math.Max(1, random.MinPerSecond), during),
        ConstantCopies copies => copies with { During = during },
        RampingCopies ramp => new ConstantCopies(Math.Max(1, ramp.Copies / 10), during),
        FixedIterations iterations => new ConstantCopies(iterations.Copies, during),
        _ => new Pause(during),
    };

    private ScenarioSettings Settings(ScenarioRun run) => new(
        run.Model == LoadModel.Open ? "open" : "closed",
        [.. run.Load.Select(s => s.ToString()!)],
        run.Model == LoadModel.Open ? run.MaxConcurrency : run.Load.Max(s => s switch { ConstantCopies c => c.Copies, RampingCopies r => r.Copies, FixedIterations f => f.Copies, _ => 0 }),
        run.Model == LoadModel.Open ? ArrivalSchedule.Count(run.Load, run.Seed) : 0);

    private static void Validate(IReadOnlyList<ScenarioRun> runs)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException("no scenario to run", nameof(runs));
        }

        foreach (var run in runs)
        {
            if (run.Load.Select(s => s.Model).OfType<LoadModel>().Distinct().Count() > 1)
            {
                throw new ArgumentException($"scenario {run.Scenario.Name} mixes open-model and closed-model stages", nameof(runs));
            }

            if (run.Scenario.Steps.Count == 0 || run.MaxConcurrency < 1)
            {
                throw new ArgumentException($"scenario {run.Scenario.Name} needs at least one step and a max concurrency ≥ 1", nameof(runs));
            }
        }

        if (runs.Select(r => r.Scenario.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != runs.Count)
        {
            throw new ArgumentException("scenario names must be unique in a run", nameof(runs));
        }
    }

    private sealed class Stopper(Func<Task> stop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await stop();
    }
}
