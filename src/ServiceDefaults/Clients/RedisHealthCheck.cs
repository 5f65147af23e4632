using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LogisticsSync.ServiceDefaults.Clients;

internal sealed class RedisHealthCheck(RedisConnectionProvider provider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoints = provider.Endpoints;
        IConnectionMultiplexer multiplexer;
        try
        {
            multiplexer = await provider.GetConnectionAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The first connect waits out the client's connect timeout when the server is down.
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis at {endpoints}: still connecting (server down or slow)");
        }

        // A PING while disconnected would wait in the multiplexer's backlog until its own timeout;
        // answering at once also says why.
        if (!multiplexer.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis at {endpoints} is not connected");
        }

        try
        {
            // PingAsync takes no token; WaitAsync keeps the check inside its timeout.
            var latency = await multiplexer.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis at {endpoints} answered PING in {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Redis at {endpoints} did not answer PING: {exception.Message}",
                exception);
        }
    }
}
