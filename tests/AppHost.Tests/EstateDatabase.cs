using LogisticsSync.Hosting;
using LogisticsSync.ServiceDefaults;
using Npgsql;

namespace LogisticsSync.AppHost.Tests;

/// <summary>Reads from a booted estate's orchestrator database: what the end-to-end tests check the partners' views against.</summary>
internal static class EstateDatabase
{
    public static async Task<List<T>> QueryAsync<T>(this DistributedApplication app, string sql, Func<NpgsqlDataReader, T> read, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(app.GetConnectionString(ResourceNames.Database));
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
