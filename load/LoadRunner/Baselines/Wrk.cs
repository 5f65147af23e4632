using System.Globalization;
using System.Text.RegularExpressions;

namespace LogisticsSync.LoadRunner.Baselines;

/// <summary>
/// wrk (Debian's wrk 4: no fixed-rate option, unlike wrk2) as an independent measure of an endpoint. A Lua
/// <c>delay()</c> paces it: before each request a connection claims the next slot of one schedule spaced
/// 1/rate apart (clock_gettime through LuaJIT's FFI) and waits for it, so the connections together keep to the
/// rate as long as there are enough of them to cover the latency. A slot nobody was free to take is skipped, not
/// caught up later. The rate wrk reached is read back; its latency is service time (from the send).
/// </summary>
public static partial class Wrk
{
    public sealed record Figures(double RequestsPerSecond, long Requests, long Non2xx, double MeanMs, double P50Ms, double P75Ms, double P90Ms, double P99Ms, double MaxMs);

    /// <summary>Closed model flat out: every connection sends its next request as soon as the last one answered.</summary>
    public static Task<Figures> SaturateAsync(Uri url, IReadOnlyDictionary<string, string> headers, int connections, int threads, TimeSpan duration,
        CancellationToken cancellationToken = default) =>
        RunAsync(url, headers, connections, threads, duration, [], cancellationToken);

    public static async Task<Figures> PacedAsync(Uri url, IReadOnlyDictionary<string, string> headers, double ratePerSecond, int connections, TimeSpan duration,
        CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(Path.GetTempPath(), $"wrk-paced-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, PacingScript(1000 / ratePerSecond), cancellationToken);
        try
        {
            return await RunAsync(url, headers, connections, threads: 1, duration, ["-s", script], cancellationToken);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<Figures> RunAsync(Uri url, IReadOnlyDictionary<string, string> headers, int connections, int threads, TimeSpan duration,
        IEnumerable<string> extraArguments, CancellationToken cancellationToken)
    {
        var binary = ExternalTool.Find("/usr/bin/wrk", "/usr/local/bin/wrk") ?? throw new InvalidOperationException("wrk not found: apt-get install wrk");
        var output = await ExternalTool.RunAsync(binary,
        [
            "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s", "--latency", "--timeout", "10s",
            .. extraArguments, .. headers.SelectMany(h => new[] { "-H", $"{h.Key}: {h.Value}" }), url.ToString(),
        ], cancellationToken: cancellationToken);
        return Parse(output);
    }

    internal static string PacingScript(double intervalMs) => $$"""
        local ffi = require("ffi")
        ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } wrk_timespec; int clock_gettime(int clock, wrk_timespec *now); ]]
        local now = ffi.new("wrk_timespec")
        local interval = {{intervalMs.ToString("0.######", CultureInfo.InvariantCulture)}}
        local next_slot = nil
        local function milliseconds()
          ffi.C.clock_gettime(1, now) -- CLOCK_MONOTONIC
          return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
        end
        function delay()
          local t = milliseconds()
          if next_slot == nil or next_slot < t then next_slot = t end
          local wait = next_slot - t
          next_slot = next_slot + interval
          return math.floor(wait + 0.5)
        end

        """;

    internal static Figures Parse(string output)
    {
        var latency = LatencyLine().Match(output);
        var requests = RequestsLine().Match(output);
        var rate = RateLine().Match(output);
        if (!latency.Success || !requests.Success || !rate.Success)
        {
            throw new InvalidOperationException($"cannot read wrk output: {output}");
        }

        double Percentile(string level) => DistributionLine().Matches(output).FirstOrDefault(m => m.Groups["p"].Value == level) is { } m
            ? Milliseconds(m.Groups["v"].Value, m.Groups["u"].Value)
            : double.NaN;
        var non2xx = Non2xxLine().Match(output);
        return new Figures(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            Milliseconds(latency.Groups["mean"].Value, latency.Groups["mu"].Value),
            Percentile("50"), Percentile("75"), Percentile("90"), Percentile("99"),
            Milliseconds(latency.Groups["max"].Value, latency.Groups["xu"].Value));
    }

    private static double Milliseconds(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch
    {
        "us" => 0.001,
        "s" => 1000,
        "m" => 60_000,
        _ => 1,
    };

    [GeneratedRegex(@"Latency\s+(?<mean>[0-9.]+)(?<mu>us|ms|s|m)\s+[0-9.]+\w+\s+(?<max>[0-9.]+)(?<xu>us|ms|s|m)")]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^\s+(?<p>50|75|90|99)%\s+(?<v>[0-9.]+)(?<u>us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex DistributionLine();

    [GeneratedRegex(@"([0-9]+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex Non2xxLine();
}
