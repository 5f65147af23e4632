using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace LogisticsSync.ServiceDefaults.Clients;

internal sealed class RabbitMQHealthCheck(RabbitMQConnectionProvider provider) : IHealthCheck
{
    private static readonly TimeSpan FirstAttemptGrace = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IConnection connection;
        try
        {
            var connecting = provider.GetConnectionAsync(cancellationToken);
            if (!connecting.IsCompleted && provider.LastError is null)
            {
                // The first attempt is under way; a refused or rejected connection fails within
                // milliseconds, so give it a moment before deciding what to report.
                await Task.WhenAny(connecting, Task.Delay(FirstAttemptGrace, cancellationToken));
            }

            if (!connecting.IsCompleted && provider.LastError is { } lastError)
            {
                // Retries are under way (for as long as it takes); report the last failure now rather than time out.
                return Unhealthy(context,
                    $"RabbitMQ at {provider.Endpoint} not connected, retrying every {RabbitMQConnectionProvider.RetryInterval.TotalSeconds:0.#} s: {RabbitMQConnectionProvider.Describe(lastError)}",
                    lastError);
            }

            connection = await connecting;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Unhealthy(context, $"RabbitMQ at {provider.Endpoint} is unreachable: {RabbitMQConnectionProvider.Describe(exception)}", exception);
        }

        if (!connection.IsOpen)
        {
            return Unhealthy(context, $"RabbitMQ connection to {provider.Endpoint} is closed ({connection.CloseReason?.ReplyText}); recovering", null);
        }

        try
        {
            // An open connection can still refuse channels (e.g. channel_max reached, vhost blocked).
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy($"RabbitMQ at {provider.Endpoint} accepts channels");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return Unhealthy(context, $"RabbitMQ at {provider.Endpoint} refused a channel: {exception.Message}", exception);
        }
    }

    private static HealthCheckResult Unhealthy(HealthCheckContext context, string description, Exception? exception) =>
        new(context.Registration.FailureStatus, description, exception);
}
