using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Model;

namespace LogisticsSync.Hosting;

/// <summary>Collects the model, as Aspire's <c>IDistributedApplicationBuilder</c> does.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly List<IControlApiExtension> _extensions = [];
    private readonly List<ParameterResource> _parameters = [];

    internal DistributedApplicationBuilder(EstateOptions options) => Options = options;

    public EstateOptions Options { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is already in the model.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>
    /// A parameter (<see cref="ParameterResource"/>): <c>--name value</c> wins, then <paramref name="defaultValue"/>;
    /// a secret with neither is generated (letters and digits, or <paramref name="generate"/>'s format) and kept.
    /// </summary>
    public ParameterResource AddParameter(string name, bool secret = false, string? defaultValue = null, Func<string>? generate = null)
    {
        if (_parameters.Any(p => p.Name == name))
        {
            throw new InvalidOperationException($"A parameter named '{name}' is already in the model.");
        }

        var given = Options.GetParameter(name, "");
        var value = given.Length > 0 ? given : defaultValue;
        if (value is null && !secret)
        {
            throw new EstateUsageException($"--{name} is required: the model's parameter '{name}' has no default.");
        }

        var parameter = new ParameterResource(name, secret, value, generate);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Adds a part of the AppHost's web surface kept outside the engine (e.g. <c>AddDashboard()</c>).</summary>
    public DistributedApplicationBuilder AddControlApiExtension(IControlApiExtension extension)
    {
        _extensions.Add(extension);
        return this;
    }

    public T GetResource<T>(string name) where T : Resource =>
        _resources.OfType<T>().FirstOrDefault(r => r.Name == name)
        ?? throw new EstateUsageException($"The model has no {typeof(T).Name} named '{name}'. It has: {string.Join(", ", _resources.Select(r => r.Name))}.");

    /// <summary>
    /// Narrows the model to the named resources and everything they depend on (<see cref="Resource.Dependencies"/>:
    /// waits and servers), as a test does to boot only the infrastructure it needs. A service another kept
    /// service merely references (calls) is kept only when named too; references to resources left out are
    /// dropped, so no endpoint of a resource that does not run is injected (a test may inject its own).
    /// </summary>
    public DistributedApplicationBuilder KeepOnly(params string[] names)
    {
        var keep = new HashSet<Resource>();
        var pending = new Stack<Resource>(names.Select(GetResource<Resource>));
        while (pending.TryPop(out var resource))
        {
            if (keep.Add(resource))
            {
                foreach (var dependency in resource.Dependencies)
                {
                    pending.Push(dependency);
                }
            }
        }

        _resources.RemoveAll(r => !keep.Contains(r));
        foreach (var resource in _resources)
        {
            resource.References.RemoveAll(r => !keep.Contains(r));
        }

        return this;
    }

    public DistributedApplication Build()
    {
        try
        {
            ValidateAndNarrow();
        }
        catch (EstateUsageException e) when (Options.ExitOnUsageError)
        {
            DistributedApplication.ExitWithUsage(e);
        }

        var application = new DistributedApplication(Options, _resources, _extensions, _parameters);
        DistributedApplication.TestingHook.Value?.OnBuilt(this);
        return application;
    }

    private void ValidateAndNarrow()
    {
        foreach (var extension in _extensions)
        {
            extension.Configure(Options);
        }

        Options.ThrowOnUnknownParameters();
        if (Options.Only.Count > 0)
        {
            KeepOnly([.. Options.Only]);
        }

        ThrowOnDependencyCycle();
    }

    private void ThrowOnDependencyCycle()
    {
        var visiting = new HashSet<Resource>();
        var done = new HashSet<Resource>();
        foreach (var resource in _resources)
        {
            Visit(resource, []);
        }

        void Visit(Resource resource, List<string> path)
        {
            if (done.Contains(resource))
            {
                return;
            }

            if (!visiting.Add(resource))
            {
                // Only waits and servers count here: a cycle of project references is legal (see Resource.References).
                throw new InvalidOperationException($"Dependency cycle: {string.Join(" -> ", path.Append(resource.Name))}.");
            }

            foreach (var dependency in resource.Dependencies)
            {
                Visit(dependency, [.. path, resource.Name]);
            }

            visiting.Remove(resource);
            done.Add(resource);
        }
    }
}

/// <summary>The resource kinds of the estate, named as Aspire names them.</summary>
public static class EstateResourceBuilderExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new PostgresServerResource(name));

    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RedisResource(name));

    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RabbitMQServerResource(name));

    /// <summary>A project of this repository; the path is relative to the AppHost's folder, as in Aspire.</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath)
    {
        var fullPath = Path.GetFullPath(Path.Combine(EstateOptions.AppHostDirectory, projectPath));
        return File.Exists(fullPath)
            ? builder.AddResource(new ProjectResource(name, fullPath))
            : throw new FileNotFoundException($"Project '{name}': {fullPath} does not exist.", fullPath);
    }
}
