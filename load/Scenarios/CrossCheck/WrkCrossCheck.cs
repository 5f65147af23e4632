using System.Globalization;
using LogisticsSync.LoadRunner.Baselines;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.Load.Scenarios.CrossCheck;

/// <summary>
/// Checks the runner against wrk on the same endpoint at the same rate. The two take turns in one window, runner –
/// wrk – runner (the runner's schedule has a pause while wrk runs), so that a drift of the shared box over the
/// window affects both alike instead of whichever went second. Both report service time (from the send), so those
/// are compared. The tolerance is stated in the report: loopback latencies of a few milliseconds move by tens of
/// percent within seconds on a shared 2-core box.
/// </summary>
internal static class WrkCrossCheck
{
    public const double RelativeTolerance = 0.30;
    public const double AbsoluteToleranceMs = 1.0;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    public static async Task<ReportSection> RunAsync(Uri gateway, string path, string apiKey, double rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var url = new Uri(gateway, path);
        var connections = Math.Max(8, (int)Math.Ceiling(rate * 0.1)); // enough to keep the rate with 100 ms responses
        using var client = new HttpClient { BaseAddress = gateway };
        var scenario = new Scenario("wrk-cross-check", async context =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", apiKey);
            using var response = await client.SendAsync(request, context.CancellationToken);
            var bytes = (await response.Content.ReadAsByteArrayAsync(context.CancellationToken)).Length;
            return new StepResult(response.IsSuccessStatusCode, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 0, bytes);
        });
        var half = duration / 2;
        var runner = LoadTest.RunAsync([new ScenarioRun(scenario, [new ConstantRate(rate, half), new Pause(duration + (2 * Margin)), new ConstantRate(rate, half)])],
            new LoadTestOptions { Percentiles = [50, 75, 90, 99], WarmUp = WarmUp }, cancellationToken);
        await Task.Delay(WarmUp + half + Margin, cancellationToken);
        var wrk = await Wrk.PacedAsync(url, new Dictionary<string, string> { ["X-Api-Key"] = apiKey }, rate, connections, duration, cancellationToken);
        var total = (await runner).Scenarios[0].Total;
        var runnerRate = total.Count / (2 * half).TotalSeconds;

        List<IReadOnlyList<string>> rows =
        [
            Compare("requests per second", wrk.RequestsPerSecond, runnerRate, "0.0", relativeOnly: true),
            Compare("service time mean (ms)", wrk.MeanMs, total.ServiceTime.MeanMs, "0.00"),
            Compare("service time p50 (ms)", wrk.P50Ms, total.ServiceTime.At(50), "0.00"),
            Compare("service time p75 (ms)", wrk.P75Ms, total.ServiceTime.At(75), "0.00"),
            Compare("service time p90 (ms)", wrk.P90Ms, total.ServiceTime.At(90), "0.00"),
            Compare("service time p99 (ms)", wrk.P99Ms, total.ServiceTime.At(99), "0.00"),
            ["latency p99, corrected (ms)", "—", total.Latency.At(99).ToString("0.00", CultureInfo.InvariantCulture), "", "wrk cannot measure it"],
            ["requests / non-2xx", $"{wrk.Requests} / {wrk.Non2xx}", $"{total.Count} / {total.StatusCodes.Where(s => !s.Key.StartsWith('2')).Sum(s => s.Value)}", "", ""],
        ];
        return new ReportSection($"Cross-check against wrk (GET {path} at {rate:0}/s, {duration.TotalSeconds:0} s each)",
            $"Runner {half.TotalSeconds:0.#} s, wrk {duration.TotalSeconds:0} s, runner {half.TotalSeconds:0.#} s, back to back. wrk -t1 -c{connections}, paced by a Lua delay() " +
            "on one schedule (wrk 4 has no rate option); the runner's open model at the same rate. " +
            $"Agreement: within {RelativeTolerance:P0} or {AbsoluteToleranceMs:0.#} ms, whichever is larger (rate: {RelativeTolerance / 3:P0}).",
            ["figure", "wrk", "load runner", "difference", "agrees"], rows);
    }

    private static List<string> Compare(string figure, double wrk, double ours, string format, bool relativeOnly = false)
    {
        var difference = ours - wrk;
        var relative = wrk == 0 ? 0 : difference / wrk;
        var agrees = relativeOnly ? Math.Abs(relative) <= RelativeTolerance / 3 : Math.Abs(difference) <= Math.Max(AbsoluteToleranceMs, RelativeTolerance * wrk);
        return [figure, wrk.ToString(format, CultureInfo.InvariantCulture), ours.ToString(format, CultureInfo.InvariantCulture),
            $"{difference.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)} ({relative.ToString("+0%;-0%;0%", CultureInfo.InvariantCulture)})", agrees ? "yes" : "NO"];
    }
}
