using LogisticsSync.Orchestrator.Milestones;
using LogisticsSync.ServiceDefaults.Messaging;
using LogisticsSync.ServiceDefaults.Protocol;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using static LogisticsSync.ServiceDefaults.Protocol.BrokerTopology;

namespace LogisticsSync.Orchestrator.Messaging;

/// <summary>
/// Declares the broker topology the orchestrator owns (its names are the protocol's <see cref="BrokerTopology"/>),
/// idempotently on every connection (<see cref="TopologySetup"/>): declaring what exists with the same arguments is a
/// no-op, so every replica may do it.
/// </summary>
public static class Topology
{
    public static async Task DeclareAsync(IConnection connection, IReadOnlyList<TimeSpan> retryDelays, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(UnroutedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(UnroutedQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(UnroutedQueue, UnroutedExchange, routingKey: "", cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(
            EventsExchange, ExchangeType.Topic, durable: true, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["alternate-exchange"] = UnroutedExchange },
            cancellationToken: cancellationToken);

        await channel.ExchangeDeclareAsync(MilestonesExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(MilestonesQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(MilestonesQueue, MilestonesExchange, routingKey: "#", cancellationToken: cancellationToken);
        foreach (var delay in retryDelays)
        {
            // Named after its delay: a queue's TTL cannot change once declared, a new delay is a new queue.
            await channel.QueueDeclareAsync(RetryQueue(delay), durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = MilestonesQueue,
                },
                cancellationToken: cancellationToken);
        }
    }
}

/// <summary>
/// Declares the topology on every fresh connection before the consumers and the outbox get it, instead of before the
/// host starts: a replica started while the broker is down serves its API meanwhile, rather than failing start-up.
/// Each replica declares it; declaring is idempotent.
/// </summary>
internal sealed class TopologySetup(IOptions<MilestoneConsumerOptions> options) : IBrokerConnectionSetup
{
    public Task RunAsync(IConnection connection, CancellationToken cancellationToken) =>
        Topology.DeclareAsync(connection, options.Value.RetryDelays, cancellationToken);
}
