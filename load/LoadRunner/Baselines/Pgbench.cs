using System.Globalization;
using System.Text.RegularExpressions;

namespace LogisticsSync.LoadRunner.Baselines;

/// <summary>Raw PostgreSQL write speed on this box: pgbench, one one-row INSERT per transaction, against a given server.</summary>
public static partial class Pgbench
{
    /// <summary>With an Npgsql-style connection string (<c>Host=…;Port=…;Username=…;Password=…;Database=…</c>).</summary>
    public static Task<double> SingleInsertTpsAsync(string connectionString, int seconds, int clients, CancellationToken cancellationToken = default)
    {
        var settings = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2)).Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Replace(" ", "", StringComparison.Ordinal), pair => pair[1], StringComparer.OrdinalIgnoreCase);
        string Setting(params string[] names) => names.Select(settings.GetValueOrDefault).FirstOrDefault(v => v is not null)
            ?? throw new ArgumentException($"the connection string has no {names[0]}", nameof(connectionString));
        return SingleInsertTpsAsync(Setting("Host", "Server"), int.Parse(settings.GetValueOrDefault("Port", "5432"), CultureInfo.InvariantCulture),
            Setting("Username", "User Id", "UserId", "User"), settings.GetValueOrDefault("Password"), Setting("Database"), seconds, clients, cancellationToken);
    }

    /// <param name="host">Host, port, user, password and database as in the server's connection string.</param>
    public static async Task<double> SingleInsertTpsAsync(string host, int port, string user, string? password, string database, int seconds, int clients,
        CancellationToken cancellationToken = default)
    {
        var binary = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).FirstOrDefault(File.Exists)
            : null;
        var script = Path.GetTempFileName();
        try
        {
            // psql creates the table, so this library needs no PostgreSQL client of its own.
            await File.WriteAllTextAsync(script, "INSERT INTO pgbench_single_insert (payload) VALUES ('x');\n", cancellationToken);
            var connection = new[] { "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-U", user };
            var environment = new Dictionary<string, string> { ["PGPASSWORD"] = password ?? "" };
            var psql = Path.Combine(Path.GetDirectoryName(binary ?? throw new InvalidOperationException("pgbench not found: apt-get install postgresql"))!, "psql");
            await ExternalTool.RunAsync(psql, [.. connection, "-q", "-c", "CREATE TABLE IF NOT EXISTS pgbench_single_insert (id bigserial PRIMARY KEY, payload text NOT NULL)", database],
                environment, cancellationToken);
            var output = await ExternalTool.RunAsync(binary,
                ["-n", .. connection, "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, database],
                environment, cancellationToken);
            var match = TpsLine().Match(output);
            return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"no TPS in pgbench output: {output}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
