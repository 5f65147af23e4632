using Microsoft.Extensions.Hosting;

namespace LogisticsSync.ServiceDefaults.Clients;

/// <summary>
/// Starts connecting to the broker with the host, without waiting for it: the connection (and the health that
/// reports it) is under way before the first consumer, publisher or probe asks, and start-up is never held by it.
/// </summary>
internal sealed class RabbitMQConnector(RabbitMQConnectionProvider provider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not awaited: it completes when the broker answers, which may be long after start-up. It never faults (it
        // retries until connected), and its cancellation on disposal is observed by whoever waits for it.
        _ = provider.GetConnectionAsync(CancellationToken.None).ContinueWith(
            static connecting => _ = connecting.Exception, CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
