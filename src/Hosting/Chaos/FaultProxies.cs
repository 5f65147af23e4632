using System.Collections.Concurrent;
using System.Net;

namespace LogisticsSync.Hosting.Chaos;

/// <summary>
/// The estate's fault proxies when it runs with <c>--chaos</c>: one per link (a service and an endpoint it references,
/// per replica of the referenced service), started as the service's environment is made, so the service knows only
/// the proxy's port. A link's fault applies to each of its proxies.
/// </summary>
public sealed class FaultProxies : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Service, string Reference, int Port), FaultProxy> _proxies = new();

    /// <summary>The proxy port a service connects to for <paramref name="reference"/>'s endpoint on <paramref name="port"/>.</summary>
    public int PortFor(string service, string reference, int port) =>
        _proxies.GetOrAdd((service, reference, port), key => FaultProxy.Start(new IPEndPoint(IPAddress.Loopback, key.Port))).Port;

    public IReadOnlyList<string> Links => [.. _proxies.Keys.Select(k => $"{k.Service}->{k.Reference}").Distinct().Order()];

    /// <returns>False when the estate has no such link (not referenced, or not started with --chaos).</returns>
    public bool Set(string service, string reference, LinkFault fault)
    {
        var proxies = _proxies.Where(p => p.Key.Service == service && p.Key.Reference == reference).Select(p => p.Value).ToList();
        proxies.ForEach(p => p.Set(fault));
        return proxies.Count > 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }
    }
}
