using System.Globalization;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Running;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LogisticsSync.LoadRunner.Progress;

/// <summary>
/// Live progress on the console: a table redrawn in place on a terminal; on a pipe or in CI (no cursor control) a
/// line every few seconds instead, so logs stay readable.
/// </summary>
public static class ConsoleProgress
{
    public static async Task<LoadTestResult> RunAsync(IReadOnlyList<ScenarioRun> runs, LoadTestOptions options, CancellationToken cancellationToken = default)
    {
        LiveStatus? latest = null;
        var previous = options.OnLive;
        options.OnLive = status =>
        {
            Volatile.Write(ref latest, status);
            previous?.Invoke(status);
        };

        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            TimeSpan? lastLine = null;
            options.OnLive += status =>
            {
                if (lastLine is null || status.Elapsed - lastLine >= TimeSpan.FromSeconds(5))
                {
                    lastLine = status.Elapsed;
                    Console.WriteLine(Line(status));
                }
            };
            return await LoadTest.RunAsync(runs, options, cancellationToken);
        }

        LoadTestResult? result = null;
        await AnsiConsole.Live(new Markup("[grey]starting…[/]")).AutoClear(false).StartAsync(async context =>
        {
            var run = LoadTest.RunAsync(runs, options, cancellationToken);
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(250, CancellationToken.None));
                if (Volatile.Read(ref latest) is { } status)
                {
                    context.UpdateTarget(Render(status));
                }
            }

            result = await run;
        });
        return result!;
    }

    private static IRenderable Render(LiveStatus status)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{(status.WarmingUp ? "warming up" : "measuring")} {Clock(status)}"))
            .AddColumns("scenario", "ok", "failed", "req/s (last s)", "p50", "p99", "dropped", "in flight");
        foreach (var scenario in status.Scenarios)
        {
            table.AddRow(
                Markup.Escape(scenario.Name), Number(scenario.Ok), scenario.Fail > 0 ? $"[red]{Number(scenario.Fail)}[/]" : "0", Number((long)scenario.LastSecondRate),
                Ms(scenario.P50Ms), Ms(scenario.P99Ms), scenario.Dropped > 0 ? $"[yellow]{Number(scenario.Dropped)}[/]" : "0", Number(scenario.InFlight));
        }

        var rows = new List<IRenderable> { table };
        rows.AddRange(status.Thresholds.Select(t => new Markup(
            $"{(t.Passed ? "[green]✓[/]" : "[red]✗[/]")} {Markup.Escape(t.Scenario)}: {Markup.Escape(t.Threshold)} [grey]({Markup.Escape(t.Actual)})[/]")));
        return new Rows(rows);
    }

    private static string Line(LiveStatus status) =>
        $"[{Clock(status)}]{(status.WarmingUp ? " warm-up" : "")} " + string.Join("; ", status.Scenarios.Select(s =>
            $"{s.Name}: {s.Ok} ok, {s.Fail} failed, {s.LastSecondRate:0}/s, p50 {s.P50Ms:0.0} ms, p99 {s.P99Ms:0.0} ms, {s.Dropped} dropped")) +
        string.Concat(status.Thresholds.Where(t => !t.Passed).Select(t => $"; BREACHED {t.Scenario}: {t.Threshold} ({t.Actual})"));

    private static string Clock(LiveStatus status) =>
        status.PlannedDuration is { } planned ? $"{status.Elapsed.TotalSeconds:0}/{planned.TotalSeconds:0} s" : $"{status.Elapsed.TotalSeconds:0} s";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
