using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LogisticsSync.Hosting.Chaos;

namespace LogisticsSync.Hosting.Tests.Chaos;

/// <summary>The fault proxy with real sockets on loopback, in front of an echo server.</summary>
public sealed class FaultProxyTests : IAsyncLifetime
{
    private readonly TcpListener _echo = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private FaultProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _echo.Start();
        _ = Task.Run(EchoAsync);
        _proxy = FaultProxy.Start((IPEndPoint)_echo.LocalEndpoint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _stop.CancelAsync();
        _echo.Stop();
        _stop.Dispose();
    }

    [Fact]
    public async Task RoundTrip_NoFault_EchoesThroughTheProxy()
    {
        using var client = await ConnectAsync();

        Assert.Equal("hello", await RoundTripAsync(client, "hello", TimeSpan.FromSeconds(5)));
        Assert.NotEqual(((IPEndPoint)_echo.LocalEndpoint).Port, _proxy.Port);
    }

    [Fact]
    public async Task RoundTrip_Latency_DelaysEachDirection()
    {
        using var client = await ConnectAsync();
        _proxy.Set(new LinkFault(LinkFaultMode.Latency, LatencyMs: 150, JitterMs: 50));

        var watch = Stopwatch.StartNew();
        Assert.Equal("slow", await RoundTripAsync(client, "slow", TimeSpan.FromSeconds(5)));

        Assert.InRange(watch.ElapsedMilliseconds, 300, 3000); // 150 ms or more each way, on an already open connection
    }

    [Fact]
    public async Task RoundTrip_Bandwidth_LimitsBytesPerSecond()
    {
        using var client = await ConnectAsync();
        _proxy.Set(new LinkFault(LinkFaultMode.Bandwidth, BytesPerSecond: 4096));
        var payload = new string('x', 4096);

        var watch = Stopwatch.StartNew();
        Assert.Equal(payload, await RoundTripAsync(client, payload, TimeSpan.FromSeconds(10)));

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), $"4 KiB each way at 4 KiB/s took {watch.Elapsed}");
    }

    [Fact]
    public async Task RoundTrip_Blackhole_AcceptsButNeverAnswers_ThenPassesAgainWhenCleared()
    {
        _proxy.Set(new LinkFault(LinkFaultMode.Blackhole));
        using var client = await ConnectAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RoundTripAsync(client, "anyone?", TimeSpan.FromMilliseconds(500)));

        _proxy.Set(LinkFault.None);
        using var next = await ConnectAsync();
        Assert.Equal("back", await RoundTripAsync(next, "back", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Set_Reset_ResetsOpenConnections()
    {
        using var client = await ConnectAsync();
        Assert.Equal("one", await RoundTripAsync(client, "one", TimeSpan.FromSeconds(5)));

        _proxy.Set(new LinkFault(LinkFaultMode.Reset));

        var exception = await Record.ExceptionAsync(() => RoundTripAsync(client, "two", TimeSpan.FromSeconds(5)));
        Assert.True(exception is IOException or SocketException, $"expected a reset, got {exception?.GetType().Name ?? "an answer"}");
    }

    [Fact]
    public async Task Connect_Refuse_IsRefusedUntilCleared()
    {
        _proxy.Set(new LinkFault(LinkFaultMode.Refuse));

        var refused = await Assert.ThrowsAsync<SocketException>(ConnectAsync);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        _proxy.Set(LinkFault.None);
        using var client = await ConnectAsync();
        Assert.Equal("open", await RoundTripAsync(client, "open", TimeSpan.FromSeconds(5)));
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, _proxy.Port);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<string> RoundTripAsync(TcpClient client, string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var stream = client.GetStream();
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        await stream.WriteAsync(bytes, cancel.Token);
        var received = new byte[bytes.Length];
        await stream.ReadExactlyAsync(received, cancel.Token);
        return System.Text.Encoding.ASCII.GetString(received);
    }

    private async Task EchoAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await _echo.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (connection)
                {
                    var buffer = new byte[8192];
                    var stream = connection.GetStream();
                    try
                    {
                        int read;
                        while ((read = await stream.ReadAsync(buffer, _stop.Token)) > 0)
                        {
                            await stream.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                        }
                    }
                    catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
                    {
                        // the proxy reset or closed it
                    }
                }
            });
        }
    }
}
