using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests.Recovery;

/// <summary>
/// A consumer the broker cancels (its queue deleted under it) on a connection that stays open: the client's automatic
/// recovery does nothing, because no connection was lost. The WMS subscribes again by itself; the orchestrator replica
/// exits and the engine restarts it, which declares its topology and subscribes afresh.
/// </summary>
[Collection(RecoveryEstateCollection.Name)]
public sealed class ConsumerLossTests(RecoveryEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Theory]
    [InlineData(ResourceNames.Wms, "wms.released")]
    [InlineData(ResourceNames.Orchestrator, "orchestrator.milestones")]
    public async Task QueueDeletedUnderItsConsumer_ConsumerComesBack_OrdersReleasedAfterwardsArePacked(string service, string queue)
    {
        await estate.App.WaitForHealthyAsync(Timeout, CancellationToken.None, ResourceNames.Wms, ResourceNames.Orchestrator);
        var factory = new ConnectionFactory { Uri = new Uri(estate.App.GetConnectionString(ResourceNames.RabbitMQ)) };
        await using var connection = await factory.CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            // Nothing is being released and every earlier order is packed: the queue is empty, deleting it loses nothing.
            await channel.QueueDeleteAsync(queue);
        }

        await Eventually.UntilAsync(async () => await ConsumersAsync(connection, queue) == 1, Timeout, $"{service} consuming {queue} again");
        await estate.App.WaitForHealthyAsync(Timeout, CancellationToken.None, ResourceNames.Wms, ResourceNames.Orchestrator);

        var releasedBefore = (await estate.ReleasesAsync()).Released;
        await estate.SetReleasingAsync(true);
        await Eventually.UntilAsync(async () => (await estate.ReleasesAsync()).Released >= releasedBefore + 10, Timeout, "10 orders released after the loss");
        await estate.SetReleasingAsync(false);
        await Eventually.UntilAsync(async () => (await estate.ReleasesAsync()).Pending == 0, Timeout, "every started release answered");
        var keys = (await estate.ReleasesAsync()).Releases.Select(r => r.BusinessKey).ToArray();
        await Eventually.UntilAsync(
            async () => (await estate.QueryAsync(
                "SELECT count(*) FROM shipments WHERE source_system = 'erp' AND business_key = ANY($1) AND state = 'Packed'",
                r => r.GetInt64(0), [keys])).Single() == keys.Length,
            Timeout, $"all {keys.Length} released orders Packed");
    }

    /// <summary>Consumers on the queue, 0 while it does not exist (a 404 closes the channel asked, so each look uses its own).</summary>
    private static async Task<uint> ConsumersAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }
}
