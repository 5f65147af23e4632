using System.Diagnostics;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Scenarios;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>What happened to one scripted fault: when it really started and ended (seconds from the run's start), and any error.</summary>
public sealed record FaultRecord(FaultStep Step, double Started, double Ended, string? Error, string? Measured);

/// <summary>Plays the scenario's faults at their times from the run's start, overlapping windows side by side.</summary>
public static class FaultTimeline
{
    public static async Task<IReadOnlyList<FaultRecord>> PlayAsync(IReadOnlyList<FaultStep> faults, ChaosEstate estate, PartnerProfiles partners, Stopwatch clock,
        Action<string> log, CancellationToken cancellationToken) =>
        await Task.WhenAll(faults.Select(step => PlayOneAsync(step, FaultActions.For(step, estate, partners), clock, log, cancellationToken)));

    private static async Task<FaultRecord> PlayOneAsync(FaultStep step, IFaultAction action, Stopwatch clock, Action<string> log, CancellationToken cancellationToken)
    {
        await DelayUntilAsync(clock, step.At, cancellationToken);
        var started = clock.Elapsed.TotalSeconds;
        try
        {
            log($"[{started,6:0.0} s] fault {step.Label} starts{(step.Instant ? "" : $" for {DurationText.Format(step.Duration)}")}");
            await action.StartAsync(cancellationToken);
            if (!step.Instant)
            {
                await DelayUntilAsync(clock, step.At + step.Duration, cancellationToken);
            }

            // Ending must happen even when the run is cancelled: a stopped server or a pinned process left behind is worse.
            await action.EndAsync(CancellationToken.None);
            var ended = step.Instant ? started : clock.Elapsed.TotalSeconds;
            log($"[{ended,6:0.0} s] fault {step.Label} {(step.Instant ? "done" : "ends")}{(action.Measured is { } m ? $": {m}" : "")}");
            return new FaultRecord(step, started, ended, null, action.Measured);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log($"[{clock.Elapsed.TotalSeconds,6:0.0} s] fault {step.Label} FAILED: {exception.Message}");
            return new FaultRecord(step, started, clock.Elapsed.TotalSeconds, exception.Message, action.Measured);
        }
    }

    private static Task DelayUntilAsync(Stopwatch clock, TimeSpan at, CancellationToken cancellationToken) =>
        at > clock.Elapsed ? Task.Delay(at - clock.Elapsed, cancellationToken) : Task.CompletedTask;
}
