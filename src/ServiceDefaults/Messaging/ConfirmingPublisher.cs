using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// One publisher-confirm channel, used by one caller at a time, with every use bounded in time. Any failure
/// (refused, unroutable, closed, timed out) throws to the caller and abandons the channel, so the next use starts on
/// a fresh channel of the recovered connection instead of on one whose state after a broker restart nobody can
/// vouch for.
/// </summary>
/// <remarks>
/// Why not rely on automatic recovery alone: with RabbitMQ.Client 7.2 a publish whose confirm was outstanding when the
/// broker died can wait for ever (rabbitmq-dotnet-client#1930), and a wait parked on a semaphore the client disposed
/// ignores its cancellation token (#1976). So the caller stops waiting (<see cref="Task.WaitAsync(TimeSpan, CancellationToken)"/>)
/// rather than asking the client to stop. An abandoned channel is closed only once the connection is open again:
/// closing it while the client is still shutting it down could strand the client's own shutdown handler.
/// </remarks>
public sealed partial class ConfirmingPublisher : IAsyncDisposable
{
    private readonly IBrokerConnection _connection;
    private readonly BrokerProgressOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<IChannel> _abandoned = [];
    private IChannel? _channel;

    public ConfirmingPublisher(string name, IBrokerConnection connection, BrokerProgress registry, IOptions<BrokerProgressOptions> options, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _options = options.Value;
        _logger = logger;
        Progress = new PublishProgress(name, time);
        registry.AddPublisher(Progress);
    }

    /// <summary>What the health check reads: last success, failing since, a publish under way since.</summary>
    public PublishProgress Progress { get; }

    public Task PublishAsync(string exchange, string routingKey, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        RunAsync((channel, token) => channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, token).AsTask(), timeout: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="publish"/> (which may start many confirmed publishes and await them all) on the confirm
    /// channel, giving up after <paramref name="timeout"/> (default <see cref="BrokerProgressOptions.PublishConfirmTimeout"/>).
    /// </summary>
    public async Task RunAsync(Func<IChannel, CancellationToken, Task> publish, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var limit = timeout ?? _options.PublishConfirmTimeout;
        await _gate.WaitAsync(cancellationToken);
        Progress.Started();
        try
        {
            CloseAbandonedIfConnected();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limit);
            try
            {
                // Not connected yet (the broker down since start-up): the wait counts against the same bound, so the
                // caller backs off as it would for a broker that went away, and its health says so.
                var connection = await _connection.GetAsync(deadline.Token);
                _channel ??= await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), deadline.Token);
                await publish(_channel, deadline.Token).WaitAsync(limit, cancellationToken);
                Progress.Succeeded();
            }
            catch (Exception exception) when (exception is TimeoutException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var what = _connection.Current is null ? $"not connected to the broker at {_connection.Endpoint}" : "no confirm from the broker";
                throw new TimeoutException($"{what} within {limit.TotalSeconds:0.#} s", exception);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Progress.Failed(exception);
            LogPublishFailed(_logger, Progress.Name, exception.Message);
            Abandon();
            throw;
        }
        finally
        {
            Progress.Ended();
            _gate.Release();
        }
    }

    private void Abandon()
    {
        if (_channel is { } channel)
        {
            _channel = null;
            _abandoned.Add(channel);
        }
    }

    private void CloseAbandonedIfConnected()
    {
        if (_abandoned.Count == 0 || _connection.Current is not { IsOpen: true })
        {
            return;
        }

        foreach (var channel in _abandoned)
        {
            _ = CloseQuietlyAsync(channel);
        }

        _abandoned.Clear();
    }

    /// <summary>Not awaited by publishers: a close that hangs in the client must not hold the next publish.</summary>
    private static async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.DisposeAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A channel of a dead connection may fail to close: it is gone either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abandon();
        await Task.WhenAll(_abandoned.Select(CloseQuietlyAsync)).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _abandoned.Clear();
    }

    [LoggerMessage(EventId = LogEventIds.ConfirmingPublisherChannelReplaced, Level = LogLevel.Warning, Message = "Publisher {Publisher}: publish failed, its channel is replaced: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string publisher, string reason);
}
