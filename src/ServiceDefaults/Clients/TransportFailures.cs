using System.Net.Sockets;
using Polly.Timeout;

namespace LogisticsSync.ServiceDefaults.Clients;

/// <summary>
/// A call that failed on the way, without an answer: trying again under the same idempotency key is safe. Mostly an
/// HttpRequestException, but the socket handler lets a bare SocketException or IOException through when the peer goes
/// away while the connection is being set up (seen in the go-live chaos run: SocketException 107 "Transport endpoint is
/// not connected" from Socket.RemoteEndPoint while the gateway stopped). A caller that retried HttpRequestException
/// only gave such a call up for good: the ERP left two orders pending for ever.
/// </summary>
public static class TransportFailures
{
    public static bool Is(Exception exception) => exception is HttpRequestException or TimeoutRejectedException or SocketException or IOException;
}
