using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Scenarios;

namespace LogisticsSync.LoadRunner.Running;

/// <summary>One iteration of a scenario: its steps in order, each measured, until one fails or all are done.</summary>
internal static class ScenarioIteration
{
    public static async Task RunAsync(ILoadClock clock, Scenario scenario, ScenarioRecorder recorder, TimeSpan intended, long iteration, int copy, CancellationToken token)
    {
        var context = new StepContext(scenario.Name, iteration, copy, token);
        var due = intended;
        try
        {
            foreach (var step in scenario.Steps)
            {
                var sent = clock.Elapsed;
                if (await RunStepAsync(step, context, token) is not { } result)
                {
                    return; // stopped after the graceful period: not a result of the system under test
                }

                var done = clock.Elapsed;
                recorder.Step(step.Name, due, sent, done, result, intended);
                if (!result.IsSuccess)
                {
                    return;
                }

                due = done;
            }
        }
        finally
        {
            recorder.IterationEnded();
        }
    }

    /// <summary>The step's result, a failure for what it threw, or null when the run stopped it.</summary>
    private static async Task<StepResult?> RunStepAsync(Step step, StepContext context, CancellationToken token)
    {
        try
        {
            return await step.Run(context);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException exception)
        {
            return StepResult.Fail("timeout", exception.Message);
        }
#pragma warning disable CA1031 // a step's exception is a failed request to record, never a reason to stop the run
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return StepResult.Fail(exception.GetType().Name, exception.Message);
        }
    }
}
