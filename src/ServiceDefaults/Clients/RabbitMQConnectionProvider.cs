using LogisticsSync.ServiceDefaults.Messaging;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace LogisticsSync.ServiceDefaults.Clients;

/// <summary>
/// Owns the process's one RabbitMQ connection. Connecting starts with the host (<see cref="RabbitMQConnector"/>) or
/// the first caller, whichever is first, runs in the background and never gives up: while the broker is down every
/// attempt fails fast (refused) and the next follows <see cref="RetryInterval"/> later, so a broker that comes up late
/// is picked up within a second and the service never crash-loops over it. Concurrent callers share the attempt.
/// Once connected (and set up), the client's own automatic recovery takes over.
/// </summary>
internal sealed partial class RabbitMQConnectionProvider : IBrokerConnection, IAsyncDisposable
{
    /// <summary>The same pace as the client's own recovery (<see cref="ConnectionFactory.NetworkRecoveryInterval"/>) once connected.</summary>
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly ConnectionFactory _factory;
    private readonly IReadOnlyList<IBrokerConnectionSetup> _setups;
    private readonly ILogger<RabbitMQConnectionProvider> _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _gate = new();
    private Task<IConnection>? _connecting;

    public RabbitMQConnectionProvider(
        Uri uri,
        Action<ConnectionFactory> configureConnectionFactory,
        ServiceIdentity identity,
        IEnumerable<IBrokerConnectionSetup> setups,
        ILogger<RabbitMQConnectionProvider> logger)
    {
        _logger = logger;
        _setups = [.. setups];
        _factory = new ConnectionFactory
        {
            Uri = uri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            ClientProvidedName = identity.Name,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            // The client's default is 5 s between recovery attempts: after a broker restart every service idled up to
            // that long on a broker already back (3.7–4.8 s measured in a chaos run). An attempt on a loopback or LAN
            // broker is cheap, and a refused one costs the broker nothing.
            NetworkRecoveryInterval = RetryInterval,
        };
        configureConnectionFactory(_factory);
        Endpoint = $"{uri.Host}:{(uri.IsDefaultPort ? AmqpTcpEndpoint.UseDefaultPort : uri.Port)}";
    }

    public string Endpoint { get; }

    /// <summary>
    /// Why the last connect (or set-up) attempt failed while not connected, so a health check can answer at once
    /// with the cause instead of waiting for a connection that may be minutes away and saying "timed out".
    /// </summary>
    public Exception? LastError { get; private set; }

    public IConnection? Current => _connecting is { IsCompletedSuccessfully: true } connected ? connected.Result : null;

    public Task<IConnection> GetAsync(CancellationToken cancellationToken) => GetConnectionAsync(cancellationToken);

    public Task<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
            // Connecting only ends by succeeding or by disposal; a fault would be a bug, and the next caller starts over.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectAsync(_disposing.Token);
            }

            return _connecting.WaitAsync(cancellationToken);
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            await SetUpAsync(connection, cancellationToken);
            // Disposed as the connection opened (with no set-ups to notice): nobody would ever close it.
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException)
        {
            // Disposed mid-set-up: nobody else holds this connection to close it.
            await connection.DisposeAsync();
            throw;
        }

        LastError = null;
        return connection;
    }

    private async Task<IConnection> OpenAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await _factory.CreateConnectionAsync(cancellationToken);
                LogConnected(Endpoint, attempt);
                WatchRecovery(connection);
                return connection;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Any failure, not only "unreachable": wrong credentials or a vhost not there yet are fixed outside the
                // process too, and a service that exits over them only crash-loops until they are.
                LastError = exception;
                if (WorthLogging(attempt))
                {
                    LogConnectRetry(attempt, Endpoint, RetryInterval, Describe(exception));
                }

                await Task.Delay(RetryInterval, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs the set-ups on the open connection until they all succeed. A connection lost meanwhile is recovered by the
    /// client; the set-up simply fails until it is back.
    /// </summary>
    private async Task SetUpAsync(IConnection connection, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                foreach (var setup in _setups)
                {
                    await setup.RunAsync(connection, cancellationToken);
                }

                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LastError = new InvalidOperationException("connected, but setting up the connection failed", exception);
                if (WorthLogging(attempt))
                {
                    LogSetupFailed(exception, Endpoint, attempt, RetryInterval);
                }

                await Task.Delay(RetryInterval, cancellationToken);
            }
        }
    }

    /// <summary>A line a second through a long outage would bury the log: the first few, then one about every half-minute.</summary>
    private static bool WorthLogging(int attempt) => attempt <= 3 || attempt % 30 == 0;

    /// <summary>
    /// Logs what automatic recovery does, which it otherwise does silently: a connection lost, each failed attempt
    /// to recover it (with the cause), and the recovery done. Handlers never throw: the client would swallow it.
    /// </summary>
    private void WatchRecovery(IConnection connection)
    {
        connection.ConnectionShutdownAsync += (_, reason) =>
        {
            if (reason.Initiator != ShutdownInitiator.Application)
            {
                LogConnectionLost(Endpoint, reason.ReplyText);
            }

            return Task.CompletedTask;
        };
        connection.ConnectionRecoveryErrorAsync += (_, error) =>
        {
            LogRecoveryFailed(Endpoint, Describe(error.Exception));
            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            LogRecovered(Endpoint);
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// The client wraps the useful cause ("Connection refused", "ACCESS_REFUSED") in
    /// "None of the specified endpoints were reachable"; show both.
    /// </summary>
    public static string Describe(Exception? exception)
    {
        if (exception is null)
        {
            return "unknown error";
        }

        var cause = exception.GetBaseException();
        return ReferenceEquals(cause, exception) ? exception.Message : $"{exception.Message}: {cause.Message}";
    }

    public async ValueTask DisposeAsync()
    {
        Task<IConnection>? connecting;
        lock (_gate)
        {
            if (_disposing.IsCancellationRequested)
            {
                return;
            }

            _disposing.Cancel();
            connecting = _connecting;
        }

        if (connecting is { IsCompletedSuccessfully: true })
        {
            await connecting.Result.DisposeAsync();
        }

        _disposing.Dispose();
    }

    [LoggerMessage(EventId = LogEventIds.RabbitMQConnected, Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Endpoint} (attempt {Attempt})")]
    private partial void LogConnected(string endpoint, int attempt);

    // The reason only, not the exception: a stack trace per retry would bury the log while the broker starts.
    [LoggerMessage(EventId = LogEventIds.RabbitMQUnreachable, Level = LogLevel.Warning, Message = "RabbitMQ at {Endpoint} unreachable ({Reason}); attempt {Attempt} failed, trying again every {Delay} until it answers")]
    private partial void LogConnectRetry(int attempt, string endpoint, TimeSpan delay, string reason);

    [LoggerMessage(EventId = LogEventIds.RabbitMQSetupFailed, Level = LogLevel.Error, Message = "Connected to RabbitMQ at {Endpoint}, but setting up the connection failed (attempt {Attempt}); trying again every {Delay}")]
    private partial void LogSetupFailed(Exception exception, string endpoint, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = LogEventIds.RabbitMQConnectionLost, Level = LogLevel.Warning, Message = "Connection to RabbitMQ at {Endpoint} lost ({Reason}); recovering")]
    private partial void LogConnectionLost(string endpoint, string reason);

    [LoggerMessage(EventId = LogEventIds.RabbitMQRecoveryFailed, Level = LogLevel.Warning, Message = "Recovering the connection to RabbitMQ at {Endpoint} failed ({Reason}); trying again")]
    private partial void LogRecoveryFailed(string endpoint, string reason);

    [LoggerMessage(EventId = LogEventIds.RabbitMQRecovered, Level = LogLevel.Information, Message = "Connection to RabbitMQ at {Endpoint} recovered (topology and consumers restored)")]
    private partial void LogRecovered(string endpoint);
}
