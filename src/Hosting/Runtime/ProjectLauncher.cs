using System.Globalization;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Processes;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>A .NET project started from its build output with Aspire's environment conventions.</summary>
internal sealed class ProjectLauncher(ProjectResource project, EstateContext context) : IResourceLauncher
{
    private static readonly HttpClient HealthClient = new() { Timeout = TimeSpan.FromSeconds(3) };
    private string _assemblyPath = "";

    public Task PrepareAsync(CancellationToken cancellationToken)
    {
        _assemblyPath = ProjectOutputs.AssemblyPath(project.ProjectPath, context.Options.BuildConfiguration);
        return File.Exists(_assemblyPath)
            ? Task.CompletedTask
            : throw new InvalidOperationException(
                $"'{project.Name}' has no build output at {_assemblyPath}. Build first: dotnet build {context.Options.BuildConfiguration switch { "Debug" => "", var c => $"-c {c} " }}{project.ProjectPath}");
    }

    public ProcessSpec CreateSpec(int replica) => new("dotnet", [_assemblyPath])
    {
        Environment = ServiceEnvironment.For(project, replica, context),
        WorkingDirectory = Path.GetDirectoryName(_assemblyPath),
        StopTimeout = TimeSpan.FromSeconds(10),
    };

    public async Task<HealthProbeResult> ProbeAsync(int replica, CancellationToken cancellationToken)
    {
        if (project.HealthCheckPath is null)
        {
            return HealthProbeResult.Healthy("no health check");
        }

        var url = new Uri(project.GetEndpoint("http", replica).Url, project.HealthCheckPath);
        try
        {
            using var response = await HealthClient.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthProbeResult.Healthy(body.Length > 200 ? body[..200] : body)
                : HealthProbeResult.Unhealthy(string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode}: {(body.Length > 500 ? body[..500] : body)}"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthProbeResult.Unhealthy(e.Message);
        }
    }

    public Task ShutdownAsync() => Task.CompletedTask;
}

/// <summary>Where a project's build lands: bin/{configuration}/{target framework}/{project}.dll.</summary>
internal static class ProjectOutputs
{
    public static string AssemblyPath(string projectPath, string configuration)
    {
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var name = Path.GetFileNameWithoutExtension(projectPath);
        return Path.Combine(projectDirectory, "bin", configuration, TargetFramework, name + ".dll");
    }

    private static string TargetFramework => $"net{Environment.Version.Major}.{Environment.Version.Minor}";
}

/// <summary>The environment a project replica starts with: Aspire's variable names and formats.</summary>
internal static class ServiceEnvironment
{
    public static Dictionary<string, string> For(ProjectResource project, int replica, EstateContext context)
    {
        var variables = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = project.GetEndpoint("http", replica).ToString(),
            // Production, not Development: no developer exception page or detailed errors for partners (docs/security.md).
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
            [ServiceKeyConvention.EnvironmentVariable] = context.ServiceKey,
        };
        if (context.Options.Verbose)
        {
            variables["Logging__Console__LogLevel__Default"] = "Information";
        }

        AddTelemetry(variables, project, replica, context);
        foreach (var reference in project.References)
        {
            AddReference(variables, project, reference, context.Options.Chaos ? (name, port) => context.FaultProxies.PortFor(project.Name, name, port) : null);
        }

        var environment = new EnvironmentContext(variables, replica, context.ValueOf);
        foreach (var callback in project.EnvironmentCallbacks)
        {
            callback(environment);
        }

        return variables;
    }

    /// <param name="proxy">With --chaos: the fault proxy's port for a referenced resource's port; the service is given that instead.</param>
    private static void AddReference(Dictionary<string, string> variables, Resource project, Resource reference, Func<string, int, int>? proxy)
    {
        switch (reference)
        {
            case IResourceWithConnectionString withConnectionString:
                // A broker gives each client its own user, never the administrator.
                var connectionString = reference is RabbitMQServerResource broker
                    ? broker.GetConnectionString(project.Name)
                    : withConnectionString.GetConnectionString();
                var server = reference is PostgresDatabaseResource database ? database.Server : reference as ProcessResource;
                if (proxy is not null && server is not null)
                {
                    var endpoint = server.GetEndpoint("tcp");
                    connectionString = ProxiedConnectionString(connectionString, endpoint.Host, endpoint.Port, proxy(server.Name, endpoint.Port));
                }

                variables[$"ConnectionStrings__{reference.Name}"] = connectionString;
                break;
            case ProjectResource service:
                foreach (var endpoint in service.Endpoints)
                {
                    for (var i = 0; i < service.Replicas; i++)
                    {
                        variables[$"services__{service.Name}__{endpoint.Name}__{i}"] = Proxied(service.GetEndpoint(endpoint.Name, i).ToString(), service.Name, proxy);
                    }

                    variables[$"{EnvironmentName(service.Name)}_{EnvironmentName(endpoint.Name)}"] = Proxied(service.GetEndpoint(endpoint.Name).ToString(), service.Name, proxy);
                }

                break;
        }
    }

    private static string Proxied(string url, string reference, Func<string, int, int>? proxy)
    {
        if (proxy is null)
        {
            return url;
        }

        var uri = new UriBuilder(url);
        uri.Port = proxy(reference, uri.Port);
        return uri.Uri.ToString().TrimEnd('/');
    }

    /// <summary>The port in each connection string format the engine makes: <c>Port=5432;</c> (Npgsql), <c>host:6379,</c> (Redis), <c>@host:5672</c> (AMQP).</summary>
    internal static string ProxiedConnectionString(string connectionString, string host, int port, int proxyPort) => connectionString
        .Replace($"Port={port};", $"Port={proxyPort};", StringComparison.Ordinal)
        .Replace($"{host}:{port},", $"{host}:{proxyPort},", StringComparison.Ordinal)
        .Replace($"@{host}:{port}", $"@{host}:{proxyPort}", StringComparison.Ordinal);

    private static void AddTelemetry(Dictionary<string, string> variables, ProjectResource project, int replica, EstateContext context)
    {
        variables["OTEL_SERVICE_NAME"] = project.Name;
        variables["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={project.Name}-{replica},service.namespace=logistics-sync";
        if (context.DashboardUrl is { } dashboard)
        {
            variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.ToString().TrimEnd('/');
            variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            variables["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={context.OtlpApiKey}";
            // Development-speed export, as Aspire sets it: telemetry shows within a second.
            variables["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            variables["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            variables["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            variables["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        }
    }

    private static string EnvironmentName(string name) => name.ToUpperInvariant().Replace('-', '_');
}
