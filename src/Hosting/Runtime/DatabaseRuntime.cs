using LogisticsSync.Hosting.Model;
using Npgsql;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>A database on a server of the estate: created once the server is healthy, then as healthy as its server.</summary>
internal sealed class DatabaseRuntime(PostgresDatabaseResource database, Func<Resource, ResourceState> stateOf) : ResourceRuntime(database)
{
    private const string DuplicateDatabase = "42P04";
    private ResourceState _ownState = ResourceState.NotStarted;
    private string? _error;

    public override ResourceState State =>
        _ownState == ResourceState.Healthy ? stateOf(database.Server) : _ownState;

    public override IEnumerable<Resource> StartAfter => base.StartAfter.Append(database.Server);

    public override void MarkWaiting() => _ownState = ResourceState.Waiting;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _ownState = ResourceState.Starting;
        try
        {
            await using var connection = new NpgsqlConnection(database.Server.GetConnectionString() + ";Pooling=false");
            await connection.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new() { Value = database.DatabaseName } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch (PostgresException e) when (e.SqlState == DuplicateDatabase)
        {
            // Created concurrently: what we wanted.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _error = e.Message;
            _ownState = ResourceState.FailedToStart;
            throw;
        }

        _ownState = ResourceState.Healthy;
    }

    public override Task StopAsync() => Task.CompletedTask;

    public override Task KillAsync(int? replica) => Task.CompletedTask;

    public override ResourceSnapshot Snapshot() => new(
        database.Name, database.TypeName, State,
        [new ReplicaSnapshot(0, State, null, 0, null, null, _error ?? $"database \"{database.DatabaseName}\" on {database.Server.Name}", new Dictionary<string, string>())],
        new Dictionary<string, string>(), database.Dependencies.Select(d => d.Name).ToList(), database.Name);
}
