using LogisticsSync.ServiceDefaults.Clients;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// Unhealthy while the service is alive but cannot move work through the broker: a consumer not registered (never
/// subscribed, cancelled, or on a closed channel), a consumer starved while its queue has messages ready, or a
/// publisher failing or hanging. The connection check says whether the broker answers; this one says whether the
/// service makes progress with it.
/// </summary>
internal sealed class BrokerProgressHealthCheck(
    BrokerProgress progress,
    RabbitMQConnectionProvider provider,
    IOptionsMonitor<BrokerProgressOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var problems = progress.Publishers.Select(p => p.Stuck(settings.PublishStallThreshold)).OfType<string>().ToList();
        var consumers = progress.Consumers;
        var registered = new List<ConsumerMonitor>();
        foreach (var consumer in consumers)
        {
            if (consumer.Unregistered() is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                registered.Add(consumer);
            }
        }

        if (registered.Count > 0)
        {
            problems.AddRange(await StarvedAsync(registered, settings.ConsumerStallThreshold, cancellationToken));
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{consumers.Count} consumer(s) and {progress.Publishers.Count} publisher(s) making progress")
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems));
    }

    private async Task<List<string>> StarvedAsync(List<ConsumerMonitor> consumers, TimeSpan threshold, CancellationToken cancellationToken)
    {
        var connecting = provider.GetConnectionAsync(cancellationToken);
        if (!connecting.IsCompletedSuccessfully || !connecting.Result.IsOpen)
        {
            // The connection check reports the broker itself; the consumers are not starved, they are cut off.
            return [];
        }

        var problems = new List<string>();
        try
        {
            await using var channel = await connecting.Result.CreateChannelAsync(cancellationToken: cancellationToken);
            foreach (var consumer in consumers)
            {
                var queue = await channel.QueueDeclarePassiveAsync(consumer.Queue, cancellationToken);
                if (consumer.Starved(queue.MessageCount, threshold) is { } problem)
                {
                    problems.Add(problem);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            problems.Add($"could not read the queues' depth: {exception.Message}");
        }

        return problems;
    }
}
