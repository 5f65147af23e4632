using LogisticsSync.Hosting.Processes;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>How one kind of resource is prepared, started and probed.</summary>
internal interface IResourceLauncher
{
    /// <summary>Once, before the first replica starts: data folders, config files, helper processes.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    ProcessSpec CreateSpec(int replica);

    /// <summary>A real client-level check: a SQL query, a PING, an AMQP handshake, an HTTP GET.</summary>
    Task<HealthProbeResult> ProbeAsync(int replica, CancellationToken cancellationToken);

    /// <summary>When the estate stops, after every replica has stopped.</summary>
    Task ShutdownAsync();
}
