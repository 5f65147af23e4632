using LogisticsSync.Hosting.Model;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>
/// Where each resource listens and how to log in to it, settled before anything starts so that every
/// reference can be injected: fixed ports where the model asks (and they are free), loopback ports otherwise;
/// passwords from the state folder's secrets, so a server keeps its password across runs.
/// </summary>
internal static class ResourceAddressing
{
    public static void AssignCredentials(IReadOnlyList<Resource> resources, EstateContext context)
    {
        foreach (var server in resources.OfType<ServerResource>())
        {
            var user = server switch
            {
                PostgresServerResource => PostgresServerResource.DefaultUser,
                RabbitMQServerResource => RabbitMQServerResource.DefaultUser,
                _ => "default",
            };
            server.Credentials = new ServerCredentials(user, context.Secrets.GetOrCreate($"{server.Name}-password"));
        }

        foreach (var broker in resources.OfType<RabbitMQServerResource>())
        {
            foreach (var client in resources.Where(r => r.References.Contains(broker)))
            {
                broker.Users.TryAdd(client.Name, RabbitMQPermissions.Vhost);
            }

            broker.UserCredentials.Clear();
            foreach (var user in broker.Users.Keys)
            {
                broker.UserCredentials[user] = new ServerCredentials(user, context.Secrets.GetOrCreate($"{broker.Name}-{user}-password"));
            }
        }
    }

    public static void AllocateEndpoints(IReadOnlyList<Resource> resources, EstateContext context)
    {
        foreach (var resource in resources.OfType<ProcessResource>())
        {
            resource.AllocatedEndpoints.Clear();
            for (var replica = 0; replica < resource.Replicas; replica++)
            {
                resource.AllocatedEndpoints.Add(resource.Endpoints.ToDictionary(
                    e => e.Name,
                    e => new AllocatedEndpoint(e.Name, e.Scheme, "127.0.0.1", PortFor(resource, e))));
            }
        }

        int PortFor(ProcessResource resource, EndpointDefinition endpoint)
        {
            if (endpoint.Port is not ({ } fixedPort and > 0) || context.Options.UseFreePortsOnly)
            {
                return context.Ports.Next();
            }

            if (resource.Replicas > 1)
            {
                throw new InvalidOperationException($"'{resource.Name}' has {resource.Replicas} replicas: they cannot share the fixed port {fixedPort}.");
            }

            return PortAllocator.IsFree(fixedPort)
                ? fixedPort
                : throw new InvalidOperationException($"Port {fixedPort} of '{resource.Name}' is in use (another estate?). Choose another with --{resource.Name}-port.");
        }
    }
}
