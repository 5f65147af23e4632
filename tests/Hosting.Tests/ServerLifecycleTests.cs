using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Npgsql;
using Xunit.Abstractions;

namespace LogisticsSync.Hosting.Tests;

/// <summary>Servers as the engine runs them: restarted after a crash, persistent across estates.</summary>
public sealed class ServerLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillCommand_Postgres_ComesBackOnItsOwnData()
    {
        await using var app = await StartDatabaseAsync();
        var connectionString = app.GetConnectionString(ResourceNames.Database);
        await ExecuteAsync(connectionString, "CREATE TABLE survivors (id int); INSERT INTO survivors VALUES (1)");
        var before = app.GetSnapshot(ResourceNames.Postgres).Replicas[0];

        await app.ExecuteCommandAsync(ResourceNames.Postgres, ResourceCommand.Kill);
        // The database resource may still look healthy for a moment: wait for the restart itself first.
        await Eventually.UntilAsync(() => app.GetSnapshot(ResourceNames.Postgres).Replicas[0].Restarts == 1, TimeSpan.FromSeconds(30), "postgres restarted once");
        await app.WaitForHealthyAsync(TimeSpan.FromSeconds(30), default, ResourceNames.Postgres, ResourceNames.Database);

        var after = app.GetSnapshot(ResourceNames.Postgres).Replicas[0];
        Assert.NotEqual(before.Pid, after.Pid);
        Assert.Equal(1, after.Restarts);
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(1L, await ExecuteAsync(connectionString, "SELECT count(*) FROM survivors"));
    }

    [Fact]
    public async Task StopThenStart_Postgres_StopsGracefullyWithoutCountingARestart()
    {
        await using var app = await StartDatabaseAsync();

        await app.ExecuteCommandAsync(ResourceNames.Postgres, ResourceCommand.Stop);
        Assert.Equal(ResourceState.Exited, app.GetSnapshot(ResourceNames.Postgres).State);
        await app.ExecuteCommandAsync(ResourceNames.Postgres, ResourceCommand.Start);
        await app.WaitForHealthyAsync(TimeSpan.FromSeconds(30), default, ResourceNames.Database);

        Assert.Equal(0, app.GetSnapshot(ResourceNames.Postgres).Restarts);
        Assert.Contains(app.Logs.Tail(ResourceNames.Postgres), l => l.Text.Contains("fast shutdown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondEstate_SameStateFolder_KeepsPasswordAndData()
    {
        string state;
        string firstConnectionString;
        await using (var first = await StartDatabaseAsync(keepState: true))
        {
            state = first.Options.StateDirectory;
            firstConnectionString = first.GetConnectionString(ResourceNames.Database);
            await ExecuteAsync(firstConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
        }

        await using var second = await StartDatabaseAsync(stateDirectory: state);

        var secondConnectionString = second.GetConnectionString(ResourceNames.Database);
        Assert.Equal(PasswordOf(firstConnectionString), PasswordOf(secondConnectionString));
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(7, await ExecuteAsync(secondConnectionString, "SELECT id FROM kept"));
    }

    private async Task<DistributedApplication> StartDatabaseAsync(bool keepState = false, string? stateDirectory = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
        builder.KeepOnly(ResourceNames.Database);
        if (stateDirectory is not null)
        {
            builder.Options.StateDirectory = stateDirectory;
            builder.Options.Fresh = false;
        }

        builder.Options.DeleteStateOnDispose = !keepState;
        var app = await builder.StartHealthyAsync(output.WriteLine);
        app.StreamLogsTo(output.WriteLine);
        return app;
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static string PasswordOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Password!;
}
