using StackExchange.Redis;

namespace LogisticsSync.ServiceDefaults.Clients;

/// <summary>
/// Owns the process's one Redis multiplexer. With AbortOnConnectFail off, connecting never fails but
/// takes up to ConnectTimeout (5 s) when the server is down; holding the connect as a task lets the
/// health check wait for it within its own timeout instead of blocking in a DI factory.
/// </summary>
internal sealed class RedisConnectionProvider(ConfigurationOptions options) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connecting = new(async () =>
        await ConnectionMultiplexer.ConnectAsync(options));

    /// <summary>The configured endpoints, for health and log messages (never the password).</summary>
    public string Endpoints { get; } = string.Join(", ", options.EndPoints.Select(endpoint => endpoint.ToString()));

    public Task<IConnectionMultiplexer> GetConnectionAsync(CancellationToken cancellationToken) =>
        _connecting.Value.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_connecting is { IsValueCreated: true, Value.IsCompletedSuccessfully: true })
        {
            await _connecting.Value.Result.DisposeAsync();
        }
    }
}
