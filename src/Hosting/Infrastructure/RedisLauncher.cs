using System.Globalization;
using System.Net.Sockets;
using System.Text;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Processes;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Infrastructure;

/// <summary>redis-server from the Debian package, configured by a file of its own (so /etc/redis is never read).</summary>
internal sealed class RedisLauncher(RedisResource resource, EstateContext context) : IResourceLauncher
{
    private const string ServerBinary = "/usr/bin/redis-server";
    private string _configFile = "";

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ServerBinary))
        {
            throw new InvalidOperationException("Redis is not installed (no /usr/bin/redis-server). Run ./run.sh, which installs it, or: apt-get install -y redis-server");
        }

        var directory = context.DirectoryFor(resource.Name);
        _configFile = Path.Combine(directory, "redis.conf");
        // The password stays out of the process list: it is in a file only the AppHost's user can read.
        PrivateFile.Write(_configFile, string.Create(CultureInfo.InvariantCulture, $"""
            port {resource.GetEndpoint("tcp").Port}
            bind 127.0.0.1
            dir {directory}
            requirepass {resource.RequireCredentials().Password}
            save ""
            appendonly yes
            appendfsync everysec
            daemonize no
            logfile ""

            """));
        return Task.CompletedTask;
    }

    public ProcessSpec CreateSpec(int replica) => new(ServerBinary, [_configFile]) { StopTimeout = TimeSpan.FromSeconds(5) };

    public async Task<HealthProbeResult> ProbeAsync(int replica, CancellationToken cancellationToken)
    {
        var endpoint = resource.GetEndpoint("tcp");
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            var stream = client.GetStream();
            var password = resource.RequireCredentials().Password;
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {password}\r\nPING\r\n"), timeout.Token);
            var reply = await ReadRepliesAsync(stream, 2, timeout.Token);
            return reply == "+OK\r\n+PONG\r\n"
                ? HealthProbeResult.Healthy("PONG")
                : HealthProbeResult.Unhealthy($"unexpected reply: {reply.Trim()}");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthProbeResult.Unhealthy(e.Message);
        }
    }

    public Task ShutdownAsync() => Task.CompletedTask;

    private static async Task<string> ReadRepliesAsync(NetworkStream stream, int lines, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        var text = new StringBuilder();
        while (text.ToString().Split("\r\n").Length <= lines)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
