using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LogisticsSync.Orchestrator.Shipments.Lifecycle;
using Npgsql;

namespace LogisticsSync.Load.MilestoneThroughput;

internal sealed record BenchmarkSettings(int Shipments, int Replicas, int PgbenchSeconds, int PgbenchClients, IReadOnlyDictionary<string, string> OrchestratorEnvironment)
{
    private const string Usage =
        "usage: MilestoneThroughput [--shipments N] [--replicas N] [--pgbench-seconds N] [--pgbench-clients N] [--orchestrator-env NAME=VALUE]…";

    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, int> { ["shipments"] = 2000, ["replicas"] = 2, ["pgbench-seconds"] = 10, ["pgbench-clients"] = 4 };
        var environment = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (name == "orchestrator-env" && value?.Split('=', 2) is [{ Length: > 0 } variable, var setting])
            {
                environment[variable] = setting;
            }
            else if (values.ContainsKey(name) && int.TryParse(value, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                values[name] = number;
            }
            else
            {
                Console.Error.WriteLine($"{Usage}{Environment.NewLine}error: cannot use '{args[i]} {value}'");
                Environment.Exit(2);
            }
        }

        return new BenchmarkSettings(values["shipments"], values["replicas"], values["pgbench-seconds"], values["pgbench-clients"], environment);
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
