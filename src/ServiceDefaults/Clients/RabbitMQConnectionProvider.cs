using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LogisticsSync.ServiceDefaults.Clients;

/// <summary>
/// Owns the process's one RabbitMQ connection. The first caller starts the connect (with retries);
/// concurrent callers share it; if every attempt fails the next caller starts over, so a broker that
/// comes up late is picked up without restarting the service. Once connected, the client's own
/// automatic recovery takes over.
/// </summary>
internal sealed partial class RabbitMQConnectionProvider : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger<RabbitMQConnectionProvider> _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _gate = new();
    private Task<IConnection>? _connecting;

    public RabbitMQConnectionProvider(
        Uri uri,
        Action<ConnectionFactory> configureConnectionFactory,
        ServiceIdentity identity,
        ILogger<RabbitMQConnectionProvider> logger)
    {
        _logger = logger;
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
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
        };
        configureConnectionFactory(_factory);
        Endpoint = $"{uri.Host}:{(uri.IsDefaultPort ? AmqpTcpEndpoint.UseDefaultPort : uri.Port)}";

        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<BrokerUnreachableException>().Handle<SocketException>(),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                OnRetry = arguments =>
                {
                    LastError = arguments.Outcome.Exception;
                    LogConnectRetry(arguments.AttemptNumber + 1, Endpoint, arguments.RetryDelay, Describe(arguments.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>host:port of the broker, for health and log messages (never the credentials).</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Why the last connect attempt failed while not connected, so a health check can answer at once
    /// with the cause instead of waiting out the retries and saying "timed out".
    /// </summary>
    public Exception? LastError { get; private set; }

    public Task<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectAsync(_disposing.Token);
            }

            return _connecting.WaitAsync(cancellationToken);
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _retry.ExecuteAsync(
                static async (factory, token) => await factory.CreateConnectionAsync(token),
                _factory,
                cancellationToken);
            LastError = null;
            LogConnected(Endpoint);
            WatchRecovery(connection);
            return connection;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LastError = exception;
            LogConnectFailed(Endpoint, exception);
            throw;
        }
    }

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

    [LoggerMessage(EventId = LogEventIds.RabbitMQConnected, Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Endpoint}")]
    private partial void LogConnected(string endpoint);

    // The reason only, not the exception: a stack trace per retry would bury the log while the broker starts.
    [LoggerMessage(EventId = LogEventIds.RabbitMQUnreachable, Level = LogLevel.Warning, Message = "RabbitMQ at {Endpoint} unreachable ({Reason}); retry {Attempt} in {Delay}")]
    private partial void LogConnectRetry(int attempt, string endpoint, TimeSpan delay, string reason);

    [LoggerMessage(EventId = LogEventIds.RabbitMQConnectFailed, Level = LogLevel.Error, Message = "Could not connect to RabbitMQ at {Endpoint}; the next use will try again")]
    private partial void LogConnectFailed(string endpoint, Exception exception);

    [LoggerMessage(EventId = LogEventIds.RabbitMQConnectionLost, Level = LogLevel.Warning, Message = "Connection to RabbitMQ at {Endpoint} lost ({Reason}); recovering")]
    private partial void LogConnectionLost(string endpoint, string reason);

    [LoggerMessage(EventId = LogEventIds.RabbitMQRecoveryFailed, Level = LogLevel.Warning, Message = "Recovering the connection to RabbitMQ at {Endpoint} failed ({Reason}); trying again")]
    private partial void LogRecoveryFailed(string endpoint, string reason);

    [LoggerMessage(EventId = LogEventIds.RabbitMQRecovered, Level = LogLevel.Information, Message = "Connection to RabbitMQ at {Endpoint} recovered (topology and consumers restored)")]
    private partial void LogRecovered(string endpoint);
}
