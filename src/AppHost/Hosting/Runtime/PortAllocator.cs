using System.Net;
using System.Net.Sockets;

namespace LogisticsSync.AppHost.Hosting.Runtime;

/// <summary>Free loopback ports, never the same one twice within an estate.</summary>
internal sealed class PortAllocator
{
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
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
