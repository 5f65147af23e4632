using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace LogisticsSync.Orchestrator.Data;

/// <summary>
/// Applies the embedded, versioned SQL migrations at start-up. Replicas start together, so the run
/// is serialised by a PostgreSQL advisory lock; each migration commits with its history row, and a
/// changed script that was applied before stops the start instead of drifting silently.
/// </summary>
internal sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    private const long AdvisoryLockKey = 0x4C53_4D49_4752; // "LSMIGR"

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text        PRIMARY KEY,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var applied = await ReadAppliedAsync(connection, cancellationToken);
            foreach (var migration in Migration.Embedded())
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version} was changed after it was applied; add a new migration instead.");
                    }

                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", connection, transaction)
                {
                    Parameters = { new() { Value = migration.Version }, new() { Value = migration.Checksum } },
                };
                await record.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogApplied(migration.Version);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>();
        await using var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = LogEventIds.MigrationRunnerApplied, Level = LogLevel.Information, Message = "Applied migration {Version}")]
    private partial void LogApplied(string version);

    internal sealed record Migration(string Version, string Sql, string Checksum)
    {
        private const string Prefix = "Migrations.";

        public static IReadOnlyList<Migration> Embedded()
        {
            var assembly = Assembly.GetExecutingAssembly();
            return assembly.GetManifestResourceNames()
                .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(name =>
                {
                    using var stream = assembly.GetManifestResourceStream(name)!;
                    using var reader = new StreamReader(stream);
                    var sql = reader.ReadToEnd();
                    return new Migration(name[Prefix.Length..^".sql".Length], sql, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql))));
                })
                .ToList();
        }
    }
}
