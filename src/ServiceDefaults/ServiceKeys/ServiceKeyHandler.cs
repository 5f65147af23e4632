using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.ServiceDefaults.ServiceKeys;

/// <summary>
/// Puts the estate's key on every request a service's <c>HttpClient</c>s send (added to all of them by the service
/// defaults), so no client can forget it. It replaces a key already on the request: a service speaks only for itself.
/// </summary>
internal sealed class ServiceKeyHandler(ServiceKey key) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(ProtocolHeaders.ServiceKey);
        if (key.Value is not null)
        {
            request.Headers.TryAddWithoutValidation(ProtocolHeaders.ServiceKey, key.Value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
