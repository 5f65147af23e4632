using System.Net;
using System.Net.Sockets;

namespace LogisticsSync.Hosting.Chaos;

/// <summary>
/// A small TCP fault proxy (Toxiproxy and tc netem are not available here): listens on a loopback port, forwards each
/// connection to the upstream endpoint, and misbehaves as its current <see cref="LinkFault"/> says — latency with jitter,
/// a bandwidth limit, a blackhole, resets, refusal. The fault can change while connections are open: the pumps read it
/// per chunk, so a latency or blackhole window applies to pooled connections too, as on a real network.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private const int ChunkSize = 16 * 1024;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _open = [];
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private volatile LinkFault _fault = LinkFault.None;

    private FaultProxy(IPEndPoint upstream, int port)
    {
        _upstream = upstream;
        Port = port;
    }

    /// <summary>The port clients connect to (fixed for the proxy's life, so a refusal window can end by listening again).</summary>
    public int Port { get; }

    public IPEndPoint Upstream => _upstream;

    public LinkFault Fault => _fault;

    /// <summary>Starts a proxy to <paramref name="upstream"/> on a free loopback port (or <paramref name="port"/>).</summary>
    public static FaultProxy Start(IPEndPoint upstream, int port = 0)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var proxy = new FaultProxy(upstream, ((IPEndPoint)listener.LocalEndpoint).Port);
        proxy.Listen(listener);
        return proxy;
    }

    public void Set(LinkFault fault)
    {
        var before = _fault;
        _fault = fault;
        if (fault.Mode == LinkFaultMode.Reset)
        {
            ResetOpenConnections();
        }

        if (fault.Mode == LinkFaultMode.Refuse && before.Mode != LinkFaultMode.Refuse)
        {
            // Closing the listener makes the kernel refuse new connections; open ones are reset as a dead host's would be.
            lock (_gate)
            {
                _listener?.Stop();
                _listener = null;
            }

            ResetOpenConnections();
        }
        else if (fault.Mode != LinkFaultMode.Refuse && before.Mode == LinkFaultMode.Refuse)
        {
            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            Listen(listener);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_gate)
        {
            _listener?.Stop();
        }

        ResetOpenConnections();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private void Listen(TcpListener listener)
    {
        lock (_gate)
        {
            _listener = listener;
        }

        _accepting = Task.Run(() => AcceptAsync(listener));
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return; // stopped, or closed for a refusal window
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        client.NoDelay = true;
        if (_fault.Mode == LinkFaultMode.Reset)
        {
            Reset(client);
            return;
        }

        var upstream = new TcpClient { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(_upstream, _stop.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            Reset(client); // the upstream refused: so does the proxy
            upstream.Dispose();
            return;
        }

        lock (_gate)
        {
            _open.Add((client, upstream));
        }

        try
        {
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove((client, upstream));
            }

            client.Dispose();
            upstream.Dispose();
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[ChunkSize];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                var fault = _fault;
                switch (fault.Mode)
                {
                    case LinkFaultMode.Blackhole:
                        continue; // swallowed: the other side waits for an answer that never comes
                    case LinkFaultMode.Latency:
                        await Task.Delay(fault.LatencyMs + (fault.JitterMs > 0 ? Random.Shared.Next(fault.JitterMs + 1) : 0), _stop.Token);
                        break;
                    case LinkFaultMode.Bandwidth when fault.BytesPerSecond > 0:
                        await Task.Delay(TimeSpan.FromSeconds((double)read / fault.BytesPerSecond), _stop.Token);
                        break;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // one side went away (or was reset): the connection ends
        }
    }

    private void ResetOpenConnections()
    {
        List<(TcpClient Client, TcpClient Upstream)> open;
        lock (_gate)
        {
            open = [.. _open];
        }

        foreach (var (client, upstream) in open)
        {
            Reset(client);
            Reset(upstream);
        }
    }

    /// <summary>Linger 0 then close: the peer gets a RST, not an orderly FIN.</summary>
    private static void Reset(TcpClient client)
    {
        // A connection whose pump ended meanwhile has been disposed: its socket is gone (null), nothing to reset.
        if (client.Client is not { } socket)
        {
            return;
        }

        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // already gone
        }
    }
}
