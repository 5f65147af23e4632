namespace LogisticsSync.Hosting.Model;

/// <summary>A resource that runs as one or more child processes, each replica on its own ports.</summary>
public abstract class ProcessResource(string name) : Resource(name)
{
    private readonly List<EndpointDefinition> _endpoints = [];

    public int Replicas { get; set; } = 1;

    public IReadOnlyList<EndpointDefinition> Endpoints => _endpoints;

    /// <summary>The allocated endpoints per replica, filled in when the estate is built.</summary>
    internal List<Dictionary<string, AllocatedEndpoint>> AllocatedEndpoints { get; } = [];

    public EndpointDefinition AddEndpoint(string endpointName, string scheme, int? port = null)
    {
        var existing = _endpoints.FirstOrDefault(e => e.Name == endpointName);
        if (existing is not null)
        {
            _endpoints.Remove(existing);
        }

        var endpoint = new EndpointDefinition(endpointName, scheme, port);
        _endpoints.Add(endpoint);
        return endpoint;
    }

    public AllocatedEndpoint GetEndpoint(string endpointName, int replica = 0)
    {
        if (replica >= AllocatedEndpoints.Count)
        {
            throw new InvalidOperationException($"Endpoints of '{Name}' are not allocated yet (replica {replica}).");
        }

        return AllocatedEndpoints[replica].TryGetValue(endpointName, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Resource '{Name}' has no endpoint named '{endpointName}'.");
    }
}

/// <param name="Port">A fixed port, or null for a free one chosen at start.</param>
public sealed record EndpointDefinition(string Name, string Scheme, int? Port);

public sealed record AllocatedEndpoint(string Name, string Scheme, string Host, int Port)
{
    public Uri Url => new($"{Scheme}://{Host}:{Port}");

    public override string ToString() => $"{Scheme}://{Host}:{Port}";
}
