using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Npgsql;

namespace LogisticsSync.Load.MilestoneThroughput;

internal sealed record BenchmarkSettings(int Shipments, int Replicas, int PgbenchSeconds, int PgbenchClients)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, int> { ["shipments"] = 2000, ["replicas"] = 2, ["pgbench-seconds"] = 10, ["pgbench-clients"] = 4 };
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            if (!values.ContainsKey(name) || i + 1 >= args.Length || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                Console.Error.WriteLine($"usage: MilestoneThroughput [--shipments N] [--replicas N] [--pgbench-seconds N] [--pgbench-clients N] (bad: {args[i]})");
                Environment.Exit(2);
            }

            values[name] = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }

        return new BenchmarkSettings(values["shipments"], values["replicas"], values["pgbench-seconds"], values["pgbench-clients"]);
    }
}

/// <summary>The milestones each shipment gets: WMS's three, then TMS's tender.</summary>
internal static class Milestones
{
    public static readonly (ShipmentMilestone Milestone, string Source)[] All =
    [
        (ShipmentMilestone.Allocated, "wms"), (ShipmentMilestone.Picked, "wms"), (ShipmentMilestone.Packed, "wms"), (ShipmentMilestone.Tendered, "tms"),
    ];

    public static int Count => All.Length;
}

/// <summary>Raw PostgreSQL write speed on this box, measured by pgbench against the estate's own server.</summary>
internal static partial class Pgbench
{
    public static async Task<double> SingleInsertTpsAsync(string connectionString, int seconds, int clients)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        await using (var create = dataSource.CreateCommand("CREATE TABLE IF NOT EXISTS pgbench_single_insert (id bigserial PRIMARY KEY, payload text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "INSERT INTO pgbench_single_insert (payload) VALUES ('x');\n");
        var binary = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).First(File.Exists);
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-n", "-h", settings.Host!, "-p", settings.Port.ToString(CultureInfo.InvariantCulture), "-U", settings.Username!,
                     "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, settings.Database! })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["PGPASSWORD"] = settings.Password;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(script);
        var match = TpsLine().Match(output);
        return process.ExitCode == 0 && match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {output}{errors}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
