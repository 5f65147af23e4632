namespace LogisticsSync.Hosting.Model;

/// <summary>The Aspire-shaped vocabulary of the model: references, waits, replicas, health checks.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Injects <c>ConnectionStrings__{name}</c> into the resource.</summary>
    public static IResourceBuilder<T> WithReference<T, TSource>(this IResourceBuilder<T> builder, IResourceBuilder<TSource> source)
        where T : Resource
        where TSource : Resource, IResourceWithConnectionString
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>
    /// Injects <c>ConnectionStrings__{name}</c> for a broker user of the resource's own (named after it) that may
    /// do only what <paramref name="permissions"/> grant. A plain <c>WithReference</c> to a broker also issues a
    /// user of its own, with <see cref="RabbitMQPermissions.Vhost"/>.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<RabbitMQServerResource> source, RabbitMQPermissions permissions)
        where T : Resource
    {
        source.Resource.Users[builder.Resource.Name] = permissions;
        return builder.WithReference<T, RabbitMQServerResource>(source);
    }

    /// <summary>
    /// Injects <c>services__{name}__{endpoint}__{i}</c> for every replica of the project, and
    /// <c>{NAME}_{ENDPOINT}</c> for the first, the variables Microsoft.Extensions.ServiceDiscovery reads.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProjectResource> source)
        where T : Resource
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>The resource starts only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        if (!builder.Resource.WaitsFor.Contains(dependency.Resource))
        {
            builder.Resource.WaitsFor.Add(dependency.Resource);
        }

        return builder;
    }

    public static IResourceBuilder<T> WithReplicas<T>(this IResourceBuilder<T> builder, int replicas)
        where T : ProcessResource
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>Readiness is a <c>GET</c> of <paramref name="path"/> answering 2xx.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path = "/health")
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    /// <summary>Gives the HTTP endpoint a fixed port (single replica only: replicas need one port each).</summary>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null)
        where T : ProcessResource
    {
        builder.Resource.AddEndpoint("http", "http", port);
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : Resource
    {
        builder.Resource.EnvironmentCallbacks.Add(context => context.Variables[name] = value);
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<EnvironmentContext> callback)
        where T : Resource
    {
        builder.Resource.EnvironmentCallbacks.Add(callback);
        return builder;
    }

    /// <summary>Injects the parameter's value as <paramref name="name"/>, or what <paramref name="transform"/> makes of it (a key's hash).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ParameterResource parameter, Func<string, string>? transform = null)
        where T : Resource
    {
        builder.Resource.EnvironmentCallbacks.Add(context =>
        {
            var value = context.ValueOf(parameter);
            context.Variables[name] = transform is null ? value : transform(value);
        });
        return builder;
    }
}
