using RabbitMQ.Client;

namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// What one consumer is doing, for health: whether it is registered with the broker (and not cancelled or left on a
/// dead channel), how many deliveries its handlers hold, and when it last received one. Together with the queue's
/// ready count it tells a consumer that cannot take work from one that has none. Thread-safe.
/// </summary>
public sealed class ConsumerMonitor(string name, string queue, ushort prefetch, TimeProvider time)
{
    private readonly Lock _gate = new();
    private AsyncDefaultBasicConsumer? _consumer;
    private int _inFlight;
    private DateTimeOffset _lastDelivery = DateTimeOffset.MinValue;
    private DateTimeOffset? _starvedSince;

    public string Name { get; } = name;

    public string Queue { get; } = queue;

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Call once the broker has accepted the consumer (after <c>BasicConsumeAsync</c>).</summary>
    public void Subscribed(AsyncDefaultBasicConsumer consumer)
    {
        lock (_gate)
        {
            _consumer = consumer;
            _lastDelivery = time.GetUtcNow();
        }
    }

    /// <summary>Marks a delivery taken; dispose the result when its handler is done with it (settled or abandoned).</summary>
    public Handling Received()
    {
        lock (_gate)
        {
            _inFlight++;
            _lastDelivery = time.GetUtcNow();
        }

        return new Handling(this);
    }

    private void Done()
    {
        lock (_gate)
        {
            _inFlight--;
        }
    }

    /// <summary>Why the consumer is not registered and running, or null when it is. Needs no broker round trip.</summary>
    public string? Unregistered()
    {
        var consumer = _consumer;
        if (consumer is null)
        {
            return $"{Name}: not subscribed to {Queue} yet";
        }

        if (!consumer.Channel.IsOpen)
        {
            return $"{Name}: channel closed ({consumer.Channel.CloseReason?.ReplyText ?? "no reason"}); waiting for recovery";
        }

        return consumer.IsRunning
            ? null
            : $"{Name}: consumer on {Queue} cancelled ({consumer.ShutdownReason?.ReplyText ?? "by the broker"})";
    }

    /// <summary>
    /// Returns once the consumer has been lost for good: the connection is open, yet for <paramref name="grace"/> the
    /// consumer has not been registered (cancelled by the broker, or its channel closed by a channel error). Automatic
    /// recovery brings back neither: it only replays what a lost connection took away. While the connection itself
    /// is down, recovery is the client's job and this keeps waiting.
    /// </summary>
    public async Task WaitUntilLostAsync(IConnection connection, TimeSpan grace, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(grace.TotalMilliseconds / 4, 50, 1000));
        DateTimeOffset? lostSince = null;
        while (true)
        {
            await Task.Delay(poll, time, cancellationToken);
            if (!connection.IsOpen || Unregistered() is null)
            {
                lostSince = null;
                continue;
            }

            lostSince ??= time.GetUtcNow();
            if (time.GetUtcNow() - lostSince >= grace)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Given the queue's ready count now, why the consumer is starved (messages ready, room to take them, and no
    /// delivery for at least <paramref name="threshold"/>), or null when it is not. Call on every health check: the
    /// clock starts at the first check that sees work waiting.
    /// </summary>
    public string? Starved(long ready, TimeSpan threshold)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (ready == 0 || _inFlight >= prefetch)
            {
                _starvedSince = null;
                return null;
            }

            if (_starvedSince is null || _lastDelivery > _starvedSince)
            {
                _starvedSince = now;
            }

            return now - _starvedSince >= threshold
                ? $"{Name}: {ready} message(s) ready in {Queue}, {_inFlight} of {prefetch} in hand, no delivery for {(now - _starvedSince.Value).TotalSeconds:0} s"
                : null;
        }
    }

    /// <summary>One delivery in a handler's hands.</summary>
    public readonly struct Handling(ConsumerMonitor monitor) : IDisposable
    {
        public void Dispose() => monitor.Done();
    }
}
