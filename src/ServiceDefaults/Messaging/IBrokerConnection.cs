using RabbitMQ.Client;

namespace LogisticsSync.ServiceDefaults.Messaging;

/// <summary>
/// The process's one RabbitMQ connection, as and when the broker lets it exist. Start-up never waits for the broker:
/// a service whose broker is down starts, serves what does not need it, and reports the broker Unhealthy, while the
/// connection is retried in the background; consumers and publishers ask for it and wait until it is there.
/// </summary>
public interface IBrokerConnection
{
    /// <summary>host:port of the broker, for health and log messages (never the credentials).</summary>
    string Endpoint { get; }

    /// <summary>The connection once opened and set up (see <see cref="IBrokerConnectionSetup"/>), else null: for code that must not wait.</summary>
    IConnection? Current { get; }

    /// <summary>
    /// Completes once the connection is open and set up; while the broker is down it waits (cancel to stop waiting),
    /// it never fails for the broker being unreachable. Automatic recovery keeps the connection afterwards.
    /// </summary>
    Task<IConnection> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Work on a freshly opened connection before anyone else is handed it, retried until it succeeds: the orchestrator
/// declares the topology its consumers and publishers rely on. Must be idempotent.
/// </summary>
public interface IBrokerConnectionSetup
{
    Task RunAsync(IConnection connection, CancellationToken cancellationToken);
}
