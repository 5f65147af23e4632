using System.Globalization;

namespace LogisticsSync.LoadRunner.Baselines;

/// <summary>
/// Raw Redis speed on this box for the command the idempotency store issues first: <c>SET key value NX EX 60</c> on
/// fresh keys, no pipelining (one round trip per request, as the gateway and orchestrator do).
/// </summary>
public static class RedisBenchmark
{
    public sealed record Figures(double RequestsPerSecond, double P50Ms, double P99Ms);

    public static async Task<Figures> SetNxAsync(string host, int port, string? password, int clients, int requests, CancellationToken cancellationToken = default)
    {
        var binary = ExternalTool.Find("/usr/bin/redis-benchmark") ?? throw new InvalidOperationException("redis-benchmark not found: apt-get install redis-tools");
        // redis-benchmark 7.0 has no --no-auth-warning: its warning goes to stderr, which is not parsed.
        string[] authentication = password is null ? [] : ["-a", password];
        var output = await ExternalTool.RunAsync(binary,
            ["-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), .. authentication, "-c", clients.ToString(CultureInfo.InvariantCulture),
             "-n", requests.ToString(CultureInfo.InvariantCulture), "-r", "100000000", "--csv", "SET", "loadrunner:__rand_int__", "x", "NX", "EX", "60"],
            cancellationToken: cancellationToken);
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        var row = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Split("\",\"").Select(cell => cell.Trim('"', '\r')).ToArray();
        return row.Length >= 7 && double.TryParse(row[1], CultureInfo.InvariantCulture, out var rps)
            ? new Figures(rps, double.Parse(row[4], CultureInfo.InvariantCulture), double.Parse(row[6], CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"cannot read redis-benchmark output: {output}");
    }

    /// <summary>Host, port and password from a StackExchange.Redis connection string (<c>127.0.0.1:6379,password=…</c>).</summary>
    public static (string Host, int Port, string? Password) ParseConnectionString(string connectionString)
    {
        var parts = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var endpoint = parts.First(p => !p.Contains('=', StringComparison.Ordinal));
        var colon = endpoint.LastIndexOf(':');
        var password = parts.Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0].Equals("password", StringComparison.OrdinalIgnoreCase))?[1];
        return colon < 0 ? (endpoint, 6379, password) : (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture), password);
    }
}
