using System.Diagnostics.Metrics;
using System.Threading.Channels;
using LogisticsSync.Orchestrator.DeadLetters;
using LogisticsSync.Orchestrator.Messaging;
using LogisticsSync.Orchestrator.Shipments;
using LogisticsSync.ServiceDefaults.Messaging;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Tracing;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace LogisticsSync.Orchestrator.Milestones;

/// <summary>A milestone that cannot be applied yet (say, it arrived before its shipment was released): worth a retry.</summary>
internal sealed class MilestoneNotYetApplicableException(string message) : Exception(message);

/// <summary>
/// Applies partner milestones from the shared work queue; replicas compete for its messages. A
/// message is acknowledged only after its transaction (inbox row + state + trail + outbox) has
/// committed. Deliveries waiting at the same moment share one transaction (group commit): under
/// load a few transactions carry many milestones, when quiet each goes alone without delay. Failures go to a retry queue whose TTL is the back-off, then back to the work queue;
/// after the last attempt, or at once for a message that can never apply, to the dead letters.
/// </summary>
internal sealed partial class MilestoneConsumer(
    IBrokerConnection connection,
    ShipmentWriter shipments,
    DeadLetterStore deadLetters,
    BrokerProgress progress,
    IOptions<MilestoneConsumerOptions> options,
    IOptions<BrokerProgressOptions> progressOptions,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<MilestoneConsumer> logger) : BackgroundService
{
    public const string InboxName = "orchestrator.milestones";

    private readonly Counter<long> _deadLettered = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.milestones.dead_lettered", description: "Milestones moved to the dead letters");

    private readonly Counter<long> _retried = meterFactory.Create(OrchestratorMetrics.MeterName)
        .CreateCounter<long>("logistics.milestones.retried", description: "Milestones sent to a retry queue");

    private readonly Channel<PendingMilestone> _pending = Channel.CreateUnbounded<PendingMilestone>();

    private IChannel? _consuming;

    // Retries go out through a confirm channel bounded in time: a confirm lost in a broker restart must not hold
    // the delivery (and its prefetch slot) for ever.
    private readonly ConfirmingPublisher _publishing = new("milestone-retries", connection, progress, progressOptions, time, logger);

    private sealed record PendingMilestone(KeyedMilestone Milestone, TaskCompletionSource<MilestoneOutcome?> Outcome);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var monitor = progress.AddConsumer("milestones", BrokerTopology.MilestonesQueue, options.Value.Prefetch);
        // Registered first, subscribed once the broker answers (and the topology is declared): until then the replica
        // serves its API and its health reports the consumer not subscribed.
        var broker = await connection.GetAsync(stoppingToken);
        var appliers = Enumerable.Range(0, options.Value.Concurrency).Select(_ => ApplyBatchesAsync(stoppingToken)).ToList();
        await SubscribeAsync(broker, monitor, stoppingToken);
        // Recovery replays only what a lost connection took; a consumer the broker cancelled, or a channel a channel
        // error closed, stays gone. Then the replica ends (the engine restarts it, deliveries go back to the queue):
        // a fresh process subscribes again without risking an ack on a tag of the dead channel.
        var lost = monitor.WaitUntilLostAsync(broker, options.Value.ConsumerLostGrace, stoppingToken);
        await Task.WhenAny(Task.WhenAll(appliers), lost);
        if (lost.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException($"Milestone consumer lost on an open connection: {monitor.Unregistered()}");
        }

        await Task.WhenAll(appliers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Opens the consuming channel and subscribes, again every second until it works: the broker may go away between
    /// the connection being handed out and the subscription, and the replica must not end over that.
    /// </summary>
    private async Task SubscribeAsync(IConnection broker, ConsumerMonitor monitor, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                // Every prefetched delivery waits in its own handler (its body is only valid there) while
                // the appliers take whatever is waiting as one batch.
                _consuming = await broker.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: options.Value.Prefetch), stoppingToken);
                await _consuming.BasicQosAsync(prefetchSize: 0, prefetchCount: options.Value.Prefetch, global: false, stoppingToken);
                var consumer = new AsyncEventingBasicConsumer(_consuming);
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    using var handling = monitor.Received();
                    await HandleAsync(delivery, stoppingToken);
                };
                // Automatic recovery re-creates the channel and this consumer after a broker restart; the monitor tells
                // the health check when it did not.
                await _consuming.BasicConsumeAsync(BrokerTopology.MilestonesQueue, autoAck: false, consumer, stoppingToken);
                monitor.Subscribed(consumer);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogSubscribeFailed(exception.Message);
                await (_consuming?.DisposeAsync() ?? ValueTask.CompletedTask).AsTask().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                _consuming = null;
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private async Task ApplyBatchesAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingMilestone>(options.Value.MaxBatch);
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < options.Value.MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await ApplyBatchAsync(batch, stoppingToken);
            batch.Clear();
        }
    }

    private async Task ApplyBatchAsync(List<PendingMilestone> batch, CancellationToken stoppingToken)
    {
        // The appliers run outside the deliveries' flow: the span continues the milestone's trace, or, for a group
        // commit, links every milestone's (each milestone's own writes still continue its trace: MilestoneApplier).
        using var activity = batch.Count == 1
            ? EstateActivities.StartContinuing("apply milestone", batch[0].Milestone.Trace)
            : EstateActivities.StartLinked("apply milestones", batch.Select(p => p.Milestone.Trace));
        try
        {
            var outcomes = await shipments.ApplyBatchAsync([.. batch.Select(p => p.Milestone)], InboxName, stoppingToken);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Outcome.TrySetResult(outcomes[i]);
            }
        }
        catch (Exception exception) when (batch.Count > 1 && !stoppingToken.IsCancellationRequested)
        {
            // One failing milestone must not hold back its neighbours: each goes again on its own,
            // and only the one that fails alone takes the retry path.
            LogBatchSplit(batch.Count, exception.Message);
            foreach (var pending in batch)
            {
                await ApplyBatchAsync([pending], stoppingToken);
            }
        }
        catch (Exception exception)
        {
            batch.ForEach(pending => pending.Outcome.TrySetException(exception));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_consuming is not null)
        {
            await _consuming.DisposeAsync();
        }

        await _publishing.DisposeAsync();
    }

    internal async Task HandleAsync(BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        // A malformed count is not trusted either way: the milestone still gets its one delivery, and if
        // that fails it is dead-lettered at once, saying why, instead of retried on a made-up count.
        var previous = AttemptHeader.PreviousDeliveries(delivery.BasicProperties);
        var attempt = previous is { } count ? (int)Math.Min((long)count + 1, options.Value.MaxAttempts) : options.Value.MaxAttempts;
        var malformed = previous is null ? $" (its {AttemptHeader.Name} header was malformed: {AttemptHeader.Describe(delivery.BasicProperties)})" : "";
        using var activity = EstateActivities.StartConsume(BrokerTopology.MilestonesQueue, delivery.BasicProperties.Headers);
        try
        {
            var message = MilestoneMessage.Parse(delivery.Body, delivery.BasicProperties.UserId, time.GetUtcNow());
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = message.CorrelationId, ["EventId"] = message.EventId });
            var milestone = new IncomingMilestone(message.EventId, message.Milestone, message.Source, message.CorrelationId, message.OccurredAt);
            var pending = new PendingMilestone(
                new KeyedMilestone(message.OrderSource, message.BusinessKey, milestone, TraceContext.Current), new(TaskCreationOptions.RunContinuationsAsynchronously));
            await _pending.Writer.WriteAsync(pending, cancellationToken);
            _ = await pending.Outcome.Task.WaitAsync(cancellationToken)
                ?? throw new MilestoneNotYetApplicableException($"no shipment {message.OrderSource}/{message.BusinessKey} (yet)");
            await _consuming!.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: unacknowledged, the broker hands the message to another replica.
        }
        catch (PoisonMessageException poison)
        {
            await GiveUpAsync(delivery, attempt, $"poison: {poison.Message}{malformed}", cancellationToken);
        }
        catch (Exception exception)
        {
            if (attempt >= options.Value.MaxAttempts)
            {
                var failed = previous is null ? "failed" : $"failed {attempt} times";
                await GiveUpAsync(delivery, attempt, $"{failed}, last: {exception.Message}{malformed}", cancellationToken);
            }
            else
            {
                await RetryLaterAsync(delivery, attempt, exception, cancellationToken);
            }
        }
    }

    private async Task RetryLaterAsync(BasicDeliverEventArgs delivery, int attempt, Exception exception, CancellationToken cancellationToken)
    {
        var delay = options.Value.RetryDelays[attempt - 1];
        await ForwardAsync(delivery, async () =>
        {
            var properties = CopyProperties(delivery.BasicProperties, attempt, RoutingKeyOf(delivery));
            await _publishing.PublishAsync("", BrokerTopology.RetryQueue(delay), mandatory: true, properties, delivery.Body, cancellationToken);
            _retried.Add(1);
            LogRetry(delivery.BasicProperties.MessageId, attempt, delay.TotalSeconds, exception.Message);
        }, cancellationToken);
    }

    private async Task GiveUpAsync(BasicDeliverEventArgs delivery, int attempt, string reason, CancellationToken cancellationToken) =>
        await ForwardAsync(delivery, async () =>
        {
            var properties = delivery.BasicProperties;
            await deadLetters.AddAsync(
                // The user-id is the broker-validated publisher (a retry's was carried on by the impersonating
                // orchestrator): the replay is attributed to it, never to the routing key or the body.
                new DeadLetterProperties(properties.MessageId, properties.ContentType, properties.Type, properties.CorrelationId, properties.UserId),
                RoutingKeyOf(delivery), delivery.Body, reason, attempt, cancellationToken);
            _deadLettered.Add(1);
            LogDeadLettered(delivery.BasicProperties.MessageId, attempt, reason);
        }, cancellationToken);

    /// <summary>Moves the message on (retry queue or dead letters) and only then acks it; if moving fails, it is requeued: never lost.</summary>
    private async Task ForwardAsync(BasicDeliverEventArgs delivery, Func<Task> forward, CancellationToken cancellationToken)
    {
        try
        {
            await forward();
            await _consuming!.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogForwardFailed(exception, delivery.BasicProperties.MessageId, exception.Message);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (_consuming!.IsOpen)
            {
                await _consuming.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The routing key the partner published with: a retried message comes back under the work queue's name, so
    /// the first retry keeps the original in a header. It is believed only under the publisher's own prefix (the
    /// broker let that user publish nothing else), so a header cannot file a dead letter under another system's key.
    /// </summary>
    private static string RoutingKeyOf(BasicDeliverEventArgs delivery) =>
        delivery.BasicProperties.Headers?.TryGetValue(OriginalRoutingKeyHeader, out var value) == true && value is byte[] bytes
        && System.Text.Encoding.UTF8.GetString(bytes) is var original
        && delivery.BasicProperties.UserId is { Length: > 0 } user && original.StartsWith(user + ".", StringComparison.Ordinal)
            ? original
            : delivery.RoutingKey;

    private const string OriginalRoutingKeyHeader = "x-original-routing-key";

    private static BasicProperties CopyProperties(IReadOnlyBasicProperties original, int attempt, string routingKey) => new()
    {
        Persistent = true,
        MessageId = original.MessageId,
        ContentType = original.ContentType,
        Type = original.Type,
        CorrelationId = original.CorrelationId,
        // The partner who published it stays the reporter (the orchestrator's user may impersonate).
        UserId = original.UserId,
        Headers = new Dictionary<string, object?>(original.Headers ?? new Dictionary<string, object?>()) { [AttemptHeader.Name] = attempt, [OriginalRoutingKeyHeader] = routingKey },
    };

    [LoggerMessage(EventId = LogEventIds.MilestoneConsumerRetry, Level = LogLevel.Warning, Message = "Milestone {MessageId} failed (attempt {Attempt}); retrying in {DelaySeconds:0.#} s: {Reason}")]
    private partial void LogRetry(string? messageId, int attempt, double delaySeconds, string reason);

    [LoggerMessage(EventId = LogEventIds.MilestoneConsumerDeadLettered, Level = LogLevel.Error, Message = "Milestone {MessageId} dead-lettered after {Attempts} attempt(s): {Reason}")]
    private partial void LogDeadLettered(string? messageId, int attempts, string reason);

    [LoggerMessage(EventId = LogEventIds.MilestoneConsumerBatchSplit, Level = LogLevel.Warning, Message = "A batch of {Count} milestones failed; applying each on its own: {Reason}")]
    private partial void LogBatchSplit(int count, string reason);

    [LoggerMessage(EventId = LogEventIds.MilestoneConsumerSubscribeFailed, Level = LogLevel.Warning, Message = "Could not subscribe to the milestones queue; trying again in 1 s: {Reason}")]
    private partial void LogSubscribeFailed(string reason);

    [LoggerMessage(EventId = LogEventIds.MilestoneConsumerForwardFailed, Level = LogLevel.Warning, Message = "Could not move milestone {MessageId} on; requeued: {Reason}")]
    private partial void LogForwardFailed(Exception exception, string? messageId, string reason);
}
