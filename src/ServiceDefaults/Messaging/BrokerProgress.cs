namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// The service's consumers and publishers, as its broker-progress health check sees them. A component registers
/// what it runs when it starts; a service with none reports Healthy.
/// </summary>
public sealed class BrokerProgress(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<ConsumerMonitor> _consumers = [];
    private readonly List<PublishProgress> _publishers = [];

    public ConsumerMonitor AddConsumer(string name, string queue, ushort prefetch)
    {
        var monitor = new ConsumerMonitor(name, queue, prefetch, time);
        lock (_gate)
        {
            _consumers.Add(monitor);
        }

        return monitor;
    }

    public void AddPublisher(PublishProgress publisher)
    {
        lock (_gate)
        {
            _publishers.Add(publisher);
        }
    }

    public IReadOnlyList<ConsumerMonitor> Consumers
    {
        get
        {
            lock (_gate)
            {
                return [.. _consumers];
            }
        }
    }

    public IReadOnlyList<PublishProgress> Publishers
    {
        get
        {
            lock (_gate)
            {
                return [.. _publishers];
            }
        }
    }
}
