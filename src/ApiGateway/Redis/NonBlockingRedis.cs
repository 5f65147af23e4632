using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace LogisticsSync.ApiGateway.Redis;

/// <summary>
/// The gateway's Redis connection as the request path needs it: there or not, never waited for.
/// Resolving the multiplexer blocks for the connect timeout when Redis is down at start, so it is
/// resolved off the request path; until then, and whenever the link is down, callers use their fallback.
/// </summary>
internal sealed class NonBlockingRedis(IServiceProvider services)
{
    private readonly Task<IConnectionMultiplexer> _connecting = Task.Run(services.GetRequiredService<IConnectionMultiplexer>);

    /// <summary>For probes, which may wait: until the first connect has finished (or <paramref name="cancellationToken"/> fires).</summary>
    public async Task WaitForFirstConnectAsync(CancellationToken cancellationToken) =>
        await ((Task)_connecting).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    public bool TryGetConnected([NotNullWhen(true)] out IDatabase? database)
    {
        database = _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected ? _connecting.Result.GetDatabase() : null;
        return database is not null;
    }
}
