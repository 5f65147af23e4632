using static LogisticsSync.ServiceDefaults.Protocol.BrokerTopology;

namespace LogisticsSync.ServiceDefaults.Protocol;

/// <summary>What a system's broker user may do (RabbitMQ configure/write/read expressions over names).</summary>
public sealed record BrokerGrant(string Configure, string Write, string Read, IReadOnlyList<BrokerTopicGrant> Topics, bool Impersonator = false);

/// <summary>The routing keys a system may publish to and bind from one topic exchange.</summary>
public sealed record BrokerTopicGrant(string Exchange, string Write, string Read);

/// <summary>
/// Least privilege on the broker, per system: each connects as its own user (named after its resource), may
/// touch only the exchanges and queues of <see cref="BrokerTopology"/> it uses, and may publish milestones only
/// under its own routing keys, so the broker itself refuses a WMS that claims to be a carrier. An empty
/// expression grants nothing (for routing keys: only the empty key).
/// </summary>
public static class BrokerGrants
{
    private const string Anything = ".*";
    private const string Nothing = "";

    /// <summary>The topology's owner: declares it, publishes events, consumes milestones, re-publishes retries and replays.</summary>
    public static BrokerGrant Orchestrator { get; } = new(
        OrchestratorNames, $"^(amq\\.default|{OrchestratorNamesPattern})$", OrchestratorNames,
        [new(EventsExchange, Anything, Anything), new(MilestonesExchange, Anything, Anything)],
        // Retries and replays carry the partner's user-id on: the milestone's reporter is the original publisher.
        Impersonator: true);

    /// <summary>The WMS: its own queues, bound to released shipments only; publishes its own milestones only.</summary>
    public static BrokerGrant Wms { get; } = PartnerGrant("wms", ShipmentEventTypes.Of(MilestoneNames.Released));

    /// <summary>
    /// A partner system: configures only queues named <c>{system}.*</c>, binds them to the events it is sent,
    /// publishes milestones only as <c>{system}.*</c>.
    /// </summary>
    public static BrokerGrant PartnerGrant(string system, params string[] subscribedEventTypes)
    {
        var ownQueues = $"{Escape(system)}\\..*";
        return new(
            $"^{ownQueues}$",
            $"^({ownQueues}|{Escape(MilestonesExchange)})$",
            $"^({ownQueues}|{Escape(EventsExchange)})$",
            [
                new(MilestonesExchange, $"^{Escape(system)}\\.", Nothing),
                new(EventsExchange, Nothing, $"^({string.Join('|', subscribedEventTypes.Select(Escape))})$"),
            ]);
    }

    private static string OrchestratorNamesPattern =>
        $"{Escape(EventsExchange)}|{Escape(UnroutedExchange)}|{Escape(MilestonesExchange)}|{Escape(MilestonesQueue)}(\\.retry\\..*)?";

    private static string OrchestratorNames => $"^({OrchestratorNamesPattern})$";

    private static string Escape(string name) => System.Text.RegularExpressions.Regex.Escape(name);
}
