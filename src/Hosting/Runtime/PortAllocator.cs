using System.Net;
using System.Net.Sockets;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>
/// Free loopback ports, never the same one twice within an estate. Taken below the kernel's ephemeral
/// range: a port from that range can be free when probed and then be taken as the source port of some
/// outgoing connection before the server binds it (a server that finds its port taken restarts on the
/// same port, and fails again).
/// </summary>
internal sealed class PortAllocator
{
    private const int LowestPort = 10_000;
    private static readonly int FirstEphemeralPort = ReadFirstEphemeralPort();

    private readonly HashSet<int> _handedOut = [];

    public int Next()
    {
        lock (_handedOut)
        {
            while (true)
            {
                var port = Probe();
                if (_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Probe()
    {
        if (FirstEphemeralPort - LowestPort >= 1_000)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var port = Random.Shared.Next(LowestPort, FirstEphemeralPort);
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        // No room below the ephemeral range (or it is crowded): let the kernel choose.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int ReadFirstEphemeralPort()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768; // Linux's default
        }
    }
}
