using Npgsql;

namespace LogisticsSync.Orchestrator.Reconciliation;

/// <summary>
/// One run at a time across every replica: a PostgreSQL session advisory lock, held on its own connection for the run.
/// A replica that dies mid-run drops its connection and with it the lock, so the next run is never blocked by a corpse.
/// </summary>
internal sealed class ReconciliationLock : IAsyncDisposable
{
    /// <summary>"RECON" in ASCII: a key no other feature of this database uses.</summary>
    private const long Key = 0x52_45_43_4F_4E;

    private readonly NpgsqlConnection _connection;

    private ReconciliationLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The lock, or null when another run holds it.</summary>
    public static async Task<ReconciliationLock?> TryAcquireAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = Key } } };
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new ReconciliationLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Pooled connections keep session locks: unlock explicitly before the connection goes back to the pool.
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection) { Parameters = { new() { Value = Key } } };
            await command.ExecuteScalarAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
