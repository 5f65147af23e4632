using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Processes;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LogisticsSync.Hosting.Tests;

public sealed class SideBySideEstatesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoEstates_SideBySide_RunOwnServersAndLeaveNothingBehind()
    {
        var estates = await Task.WhenAll(StartInfrastructureAsync("a"), StartInfrastructureAsync("b"));
        var (first, second) = (estates[0], estates[1]);
        List<int> processes;
        try
        {
            processes = [.. estates.SelectMany(AllProcesses)];
            Assert.Equal(processes.Count, processes.Distinct().Count());
            foreach (var estate in estates)
            {
                await AssertServersAnswerAsync(estate);
            }

            // Each estate's servers have their own generated passwords: one estate cannot log in to the other.
            var crossed = first.GetConnectionString(ResourceNames.Redis).Split(',')[0] + "," + second.GetConnectionString(ResourceNames.Redis).Split(',')[1];
            var options = ConfigurationOptions.Parse(crossed);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 2000;
            await Assert.ThrowsAnyAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(options));
        }
        finally
        {
            foreach (var estate in estates)
            {
                await estate.DisposeAsync();
            }
        }

        Assert.All(processes, pid => Assert.False(ProcessTable.IsAlive(pid), $"process {pid} outlived its estate"));
        Assert.All(estates, e => Assert.False(Directory.Exists(e.Options.StateDirectory)));
    }

    private async Task<DistributedApplication> StartInfrastructureAsync(string label)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
        builder.KeepOnly(ResourceNames.Database, ResourceNames.Redis, ResourceNames.RabbitMQ);
        return await builder.StartHealthyAsync(line => output.WriteLine($"{label}: {line}"));
    }

    private static IEnumerable<int> AllProcesses(DistributedApplication estate) =>
        estate.GetSnapshots()
            .SelectMany(s => s.Replicas)
            .Select(r => r.Pid)
            .OfType<int>()
            .SelectMany(pid => ProcessTable.Descendants(pid).Prepend(pid));

    private static async Task AssertServersAnswerAsync(DistributedApplication estate)
    {
        await using (var connection = new NpgsqlConnection(estate.GetConnectionString(ResourceNames.Database)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal(ResourceNames.Database, await command.ExecuteScalarAsync());
        }

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(estate.GetConnectionString(ResourceNames.Redis)))
        {
            Assert.True(await redis.GetDatabase().StringSetAsync("side-by-side", "yes"));
        }

        var factory = new ConnectionFactory { Uri = new Uri(estate.GetConnectionString(ResourceNames.RabbitMQ)) };
        await using var amqp = await factory.CreateConnectionAsync();
        Assert.True(amqp.IsOpen);
        using var management = new HttpClient { BaseAddress = estate.GetEndpoint(ResourceNames.RabbitMQ, "management") };
        Assert.True((await management.GetAsync("/api/overview")).StatusCode is System.Net.HttpStatusCode.Unauthorized);
    }
}
