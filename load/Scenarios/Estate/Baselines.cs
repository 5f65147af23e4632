using System.Globalization;
using LogisticsSync.LoadRunner.Baselines;
using LogisticsSync.LoadRunner.Measurement;

namespace LogisticsSync.Load.Scenarios.Estate;

/// <summary>
/// Raw speed of the estate's own servers, measured in the same run on the same machine, so that the API's figures
/// can be read as ratios on a box whose absolute speed moves with whatever else it runs.
/// </summary>
internal static class Baselines
{
    public const int PgbenchClients = 4;
    public const int RedisClients = 50;

    public sealed record Figures(double? PgbenchTps, RedisBenchmark.Figures? Redis, List<IReadOnlyList<string>> Rows);

    public static async Task<Figures> MeasureAsync(TargetEstate estate, int seconds, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string>>();
        double? tps = null;
        RedisBenchmark.Figures? redis = null;
        if (estate.Postgres is { } postgres)
        {
            Console.WriteLine($"baseline: pgbench single-insert, {PgbenchClients} clients, {seconds} s…");
            tps = await OrNullAsync<double?>(async () => await Pgbench.SingleInsertTpsAsync(postgres, seconds, PgbenchClients, cancellationToken), rows, "pgbench");
            if (tps is not null)
            {
                rows.Add(["pgbench: one-row INSERT per transaction (synchronous_commit on)", $"{PgbenchClients} clients, {seconds} s", $"{tps:N0} TPS"]);
            }
        }
        else
        {
            rows.Add(["pgbench", "skipped", "no --postgres connection string"]);
        }

        if (estate.Redis is { } redisConnection)
        {
            var (host, port, password) = RedisBenchmark.ParseConnectionString(redisConnection);
            Console.WriteLine($"baseline: redis-benchmark SET NX EX 60, {RedisClients} clients…");
            // about as many requests as the box does in the baseline's seconds, so each baseline takes similar time
            redis = await OrNullAsync(() => RedisBenchmark.SetNxAsync(host, port, password, RedisClients, 50_000 * seconds, cancellationToken), rows, "redis-benchmark");
            if (redis is not null)
            {
                rows.Add(["redis-benchmark: SET key x NX EX 60 on fresh keys, no pipelining", $"{RedisClients} clients",
                string.Create(CultureInfo.InvariantCulture, $"{redis.RequestsPerSecond:N0} ops/s (p50 {redis.P50Ms:0.###} ms, p99 {redis.P99Ms:0.###} ms)")]);
            }
        }
        else
        {
            rows.Add(["redis-benchmark", "skipped", "no --redis connection string"]);
        }

        return new Figures(tps, redis, rows);
    }

    /// <summary>A baseline that cannot run (tool missing, server refusing) is a row in the report, not the end of the run.</summary>
    internal static async Task<T?> OrNullAsync<T>(Func<Task<T>> measure, List<IReadOnlyList<string>> rows, string tool)
    {
        try
        {
            return await measure();
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine($"{tool} failed: {exception.Message}");
            rows.Add([tool, "FAILED", exception.Message.Split('\n')[0]]);
            return default;
        }
    }

    public static ReportSection Section(Figures figures, LoadTestResult result)
    {
        var rows = new List<IReadOnlyList<string>>(figures.Rows);
        if (figures.PgbenchTps is { } tps && result.Scenarios.FirstOrDefault(s => s.Name == "release") is { } release)
        {
            rows.Add(["release throughput against raw pgbench", "ok releases/s ÷ TPS",
                string.Create(CultureInfo.InvariantCulture, $"{release.Total.Ok / Math.Max(0.001, result.Duration.TotalSeconds):0.0} ÷ {tps:N0} = {release.Total.Ok / Math.Max(0.001, result.Duration.TotalSeconds) / tps:P1}")]);
        }

        return new ReportSection("Baselines (same machine, same run, before the load)", "Raw server speed on this box at the time of the run.",
            ["baseline", "settings", "figure"], rows);
    }
}
