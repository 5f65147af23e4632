using System.Net;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace LogisticsSync.ApiGateway.ServiceDiscovery;

/// <summary>
/// Expands a configured destination such as <c>http://orchestrator</c> into one destination per
/// endpoint that service discovery knows for it (<c>services__orchestrator__http__0..n</c>), so YARP
/// load balances across replicas. Stands in for Microsoft.Extensions.ServiceDiscovery.Yarp, which
/// cannot be restored here, and follows its naming: <c>{destination}[{endpoint}]</c>.
/// </summary>
internal sealed partial class ServiceDiscoveryDestinationResolver(
    ServiceEndpointResolver resolver,
    ILogger<ServiceDiscoveryDestinationResolver> logger) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations,
        CancellationToken cancellationToken)
    {
        var resolutions = await Task.WhenAll(destinations.Select(destination =>
            ResolveAsync(destination.Key, destination.Value, cancellationToken)));

        var resolved = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        var changeTokens = new List<IChangeToken>(resolutions.Length);
        foreach (var (expanded, changeToken) in resolutions)
        {
            changeTokens.Add(changeToken);
            foreach (var (name, config) in expanded)
            {
                resolved[name] = config;
            }
        }

        // YARP calls back when any token fires, e.g. when the configuration behind a service changes.
        return new ResolvedDestinationCollection(resolved, new CompositeChangeToken(changeTokens));
    }

    private async Task<(List<KeyValuePair<string, DestinationConfig>> Destinations, IChangeToken ChangeToken)> ResolveAsync(
        string destinationId,
        DestinationConfig destination,
        CancellationToken cancellationToken)
    {
        var address = new Uri(destination.Address);
        // "http://orchestrator" asks for the "http" endpoints of service "orchestrator".
        var serviceName = address.GetLeftPart(UriPartial.Authority);
        var source = await resolver.GetEndpointsAsync(serviceName, cancellationToken);

        var expanded = new List<KeyValuePair<string, DestinationConfig>>(source.Endpoints.Count);
        foreach (var endpoint in source.Endpoints)
        {
            var resolvedUri = ToUri(endpoint.EndPoint, address.Scheme);
            var config = destination with
            {
                // Host is left as configured (normally unset): the replica then sees its own
                // host:port, which is what it would see when called directly.
                Address = WithAuthority(address, resolvedUri),
                Health = destination.Health is { Length: > 0 } health ? WithAuthority(new Uri(health), resolvedUri) : null,
            };
            expanded.Add(new($"{destinationId}[{resolvedUri.Authority}]", config));
        }

        LogResolved(destinationId, serviceName, string.Join(", ", expanded.Select(pair => pair.Value.Address)));
        return (expanded, source.ChangeToken);
    }

    private static Uri ToUri(EndPoint endPoint, string defaultScheme) => endPoint switch
    {
        UriEndPoint uri => uri.Uri,
        IPEndPoint ip => new UriBuilder(defaultScheme, ip.Address.ToString(), ip.Port).Uri,
        DnsEndPoint dns => new UriBuilder(defaultScheme, dns.Host, dns.Port > 0 ? dns.Port : -1).Uri,
        _ => new Uri($"{defaultScheme}://{endPoint}"),
    };

    // Keeps the configured path prefix (e.g. http://orchestrator/base/) while swapping in the endpoint.
    private static string WithAuthority(Uri configured, Uri endpoint) => new UriBuilder(configured)
    {
        Scheme = endpoint.Scheme,
        Host = endpoint.Host,
        Port = endpoint.Port,
    }.Uri.ToString();

    [LoggerMessage(EventId = LogEventIds.ServiceDiscoveryDestinationResolverResolved, Level = LogLevel.Information, Message = "Destination {DestinationId} ({ServiceName}) resolved to [{Addresses}]")]
    private partial void LogResolved(string destinationId, string serviceName, string addresses);
}
