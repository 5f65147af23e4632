using LogisticsSync.LoadRunner.Baselines;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.Load.GatewayOverhead;

/// <summary>One path flat out in one round: what wrk got through, and the CPU each request cost the proxy (and Redis).</summary>
internal sealed record SaturatedRun(ProxyPath Path, int Round, Wrk.Figures Wrk, double CpuMicrosPerRequest, double RedisCpuMicrosPerRequest);

/// <summary>One path at the fixed rate in one round.</summary>
internal sealed record OpenRun(ProxyPath Path, int Round, LoadTestResult Result)
{
    public RequestSummary Total => Result.Scenarios.Single().Total;
}

/// <summary>
/// The paths measured in turns rather than one after the other: on a shared 2-core machine a bare YARP
/// proxy moved between 3.4k and 15k req/s from one run to the next, so a ratio is only meaningful
/// between runs made side by side. Every round runs each path flat out, then each at the fixed rate;
/// the order flips every round so no path always follows the same neighbour.
/// </summary>
internal static class Rounds
{
    /// <returns>The requests the gateway answered during the warm-up.</returns>
    public static async Task<long> WarmUpAsync(ProxyPaths paths, OverheadSettings settings)
    {
        long gatewayRequests = 0;
        // Until the JIT has tiered up, a fresh gateway costs three times what it does warm (measured: ~800 µs
        // CPU per request in its first seconds under load, ~250 µs after 25 s on a busy box).
        foreach (var path in paths.All)
        {
            Console.WriteLine($"{path.Name}: warming up ({settings.WarmUpSeconds} s flat out, not measured)…");
            var figures = await Wrk.SaturateAsync(path.Url, path.Headers, settings.Connections, threads: 2, TimeSpan.FromSeconds(settings.WarmUpSeconds));
            gatewayRequests += path.Slug == "gateway" ? figures.Requests : 0;
        }

        return gatewayRequests;
    }

    public static async Task<(List<SaturatedRun> Saturated, List<OpenRun> Open)> RunAsync(ProxyPaths paths, OverheadSettings settings)
    {
        var saturated = new List<SaturatedRun>();
        var open = new List<OpenRun>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var order = round % 2 == 1 ? paths.All : paths.All.Reverse().ToList();
            foreach (var path in order)
            {
                var run = await SaturateAsync(path, round, paths.RedisPid, settings);
                Console.WriteLine($"round {round}/{settings.Rounds} {path.Name}: {run.Wrk.RequestsPerSecond:0} req/s flat out, {run.CpuMicrosPerRequest:0} µs CPU per request");
                saturated.Add(run);
            }

            foreach (var path in order)
            {
                var result = await OpenModel.RunAsync(path, settings.Rate, TimeSpan.FromSeconds(settings.OpenSeconds), TimeSpan.FromSeconds(1));
                var run = new OpenRun(path, round, result);
                Console.WriteLine($"round {round}/{settings.Rounds} {path.Name}: p99 {run.Total.Latency.At(99):0.00} ms at {settings.Rate:0}/s");
                open.Add(run);
            }
        }

        return (saturated, open);
    }

    private static async Task<SaturatedRun> SaturateAsync(ProxyPath path, int round, int redisPid, OverheadSettings settings)
    {
        var cpuBefore = ProcessCpu.Used(path.Pid);
        var redisBefore = ProcessCpu.Used(redisPid);
        var figures = await Wrk.SaturateAsync(path.Url, path.Headers, settings.Connections, threads: 2, TimeSpan.FromSeconds(settings.Seconds));
        var requests = Math.Max(1, figures.Requests);
        return new SaturatedRun(path, round, figures,
            (ProcessCpu.Used(path.Pid) - cpuBefore).TotalMicroseconds / requests,
            (ProcessCpu.Used(redisPid) - redisBefore).TotalMicroseconds / requests);
    }
}
