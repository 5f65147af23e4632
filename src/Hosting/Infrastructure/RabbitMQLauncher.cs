using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Processes;
using LogisticsSync.Hosting.Runtime;
using RabbitMQ.Client;

namespace LogisticsSync.Hosting.Infrastructure;

/// <summary>
/// A RabbitMQ node from the Debian package with the management plugin. Everything that could make two
/// estates' nodes meet is private: node name, ports, Erlang cookie (via HOME), folders, and an epmd of
/// its own (an epmd Erlang starts by itself daemonises, binds 0.0.0.0 and outlives the broker).
/// </summary>
internal sealed class RabbitMQLauncher(RabbitMQServerResource resource, EstateContext context) : IResourceLauncher
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string EpmdBinary = "/usr/bin/epmd";
    private const string DistributionInterface = "-kernel inet_dist_use_interface {127,0,0,1}";
    private readonly Dictionary<string, string> _environment = [];
    private ChildProcess? _epmd;
    private string _directory = "";

    private string EpmdPidKey => $"{resource.Name}-epmd";

    private string BeamPidFile => Path.Combine(_directory, "beam.pid");

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ServerScript))
        {
            throw new InvalidOperationException("RabbitMQ is not installed (no /usr/lib/rabbitmq/bin/rabbitmq-server). Run ./run.sh, which installs it, or: apt-get install -y rabbitmq-server");
        }

        _directory = context.DirectoryFor(resource.Name);
        await StopOrphanedBeamAsync();
        var home = Directory.CreateDirectory(Path.Combine(_directory, "home")).FullName;
        var epmdPort = context.Ports.Next();
        WriteConfiguration();

        // The node name is stable per state folder (the data folder is named after it) and unique across them.
        var nodeId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context.StateDirectory)))[..10];
        _environment["HOME"] = home;
        _environment["RABBITMQ_NODENAME"] = $"estate-{nodeId}@localhost";
        _environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        _environment["RABBITMQ_NODE_PORT"] = Invariant(resource.GetEndpoint("tcp").Port);
        // The default would be NODE_PORT + 20000, which another estate may hold.
        _environment["RABBITMQ_DIST_PORT"] = Invariant(context.Ports.Next());
        _environment["ERL_EPMD_PORT"] = Invariant(epmdPort);
        _environment["ERL_EPMD_ADDRESS"] = "127.0.0.1";
        _environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia");
        _environment["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log");
        _environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq.conf");
        _environment["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_directory, "advanced.config");
        _environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins");
        _environment["RABBITMQ_PID_FILE"] = BeamPidFile;
        _environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_directory, "rabbitmq-env.conf");
        _environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = DistributionInterface;
        _environment["RABBITMQ_CTL_ERL_ARGS"] = DistributionInterface;
        _environment["ERL_CRASH_DUMP"] = Path.Combine(_directory, "erl_crash.dump");

        _epmd = await ChildProcess.StartAsync(
            new ProcessSpec(EpmdBinary, ["-port", Invariant(epmdPort), "-address", "127.0.0.1"]) { StopTimeout = TimeSpan.FromSeconds(2) },
            (line, isError) => context.Logs.Append(resource.Name, 0, "epmd: " + line, isError));
        context.PidRecords.Record(EpmdPidKey, _epmd);
    }

    public ProcessSpec CreateSpec(int replica) => new(ServerScript, [])
    {
        Environment = new Dictionary<string, string>(_environment),
        WorkingDirectory = _directory,
        // The sh wrapper passes SIGTERM on to beam.smp; a SIGKILL would orphan beam instead.
        StopSignal = Posix.SigTerm,
        StopTimeout = TimeSpan.FromSeconds(15),
    };

    public async Task<HealthProbeResult> ProbeAsync(int replica, CancellationToken cancellationToken)
    {
        // An AMQP handshake with the generated credentials: cheaper than rabbitmq-diagnostics (≈ 0.45 s a call).
        var factory = new ConnectionFactory
        {
            Uri = new Uri(resource.GetConnectionString()),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "estate-health-probe",
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            var version = connection.ServerProperties?.TryGetValue("version", out var v) == true && v is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : "?";
            await connection.CloseAsync(cancellationToken);
            return HealthProbeResult.Healthy($"RabbitMQ {version}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthProbeResult.Unhealthy(e.InnerException?.Message ?? e.Message);
        }
    }

    public async Task ShutdownAsync()
    {
        if (_epmd is not null)
        {
            await _epmd.StopAsync();
            context.PidRecords.Remove(EpmdPidKey);
            _epmd = null;
        }
    }

    private void WriteConfiguration()
    {
        // Users, passwords and permissions, administrator included: with definitions to import, RabbitMQ creates no default user.
        var definitions = Path.Combine(_directory, "definitions.json");
        PrivateFile.Write(definitions, RabbitMQDefinitions.Create(resource));
        var configuration = Path.Combine(_directory, "rabbitmq.conf");
        PrivateFile.Write(configuration, string.Create(CultureInfo.InvariantCulture, $"""
            listeners.tcp.default = 127.0.0.1:{resource.GetEndpoint("tcp").Port}
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {resource.GetEndpoint("management").Port}
            log.console = true
            log.console.level = warning
            log.console.use_colors = off
            log.file = false
            disk_free_limit.absolute = 50MB
            vm_memory_high_watermark.absolute = 1GB
            load_definitions = {definitions}
            loopback_users = none

            """));
        File.WriteAllText(Path.Combine(_directory, "enabled_plugins"), "[rabbitmq_management].\n");
        // Empty on purpose: the system-wide /etc/rabbitmq/rabbitmq-env.conf must not apply.
        File.WriteAllText(Path.Combine(_directory, "rabbitmq-env.conf"), "");
    }

    /// <summary>beam.smp outlives its sh wrapper when the wrapper is SIGKILLed; its own pid file finds it.</summary>
    private async Task StopOrphanedBeamAsync()
    {
        if (File.Exists(BeamPidFile)
            && int.TryParse(File.ReadAllText(BeamPidFile).Trim(), CultureInfo.InvariantCulture, out var pid)
            && ProcessTable.Read(pid) is { State: not ('Z' or 'X') } entry
            && entry.Command.StartsWith("beam", StringComparison.Ordinal))
        {
            await ChildProcess.StopTreeAsync(pid, Posix.SigTerm, TimeSpan.FromSeconds(10));
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
