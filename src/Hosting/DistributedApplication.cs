using System.Diagnostics;
using System.Runtime.InteropServices;
using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Infrastructure;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting;

/// <summary>The running estate: starts the model's resources in dependency order and stops them in reverse.</summary>
public sealed partial class DistributedApplication : IAsyncDisposable
{
    /// <summary>Set by the testing builder: hands the builder over instead of running the estate.</summary>
    internal static readonly AsyncLocal<ITestingHook?> TestingHook = new();

    private readonly EstateContext _context;
    private readonly Dictionary<string, ResourceRuntime> _runtimes;
    private readonly EstateConsole _console;
    private readonly List<Task> _startTasks = [];
    private readonly CancellationTokenSource _lifetime = new();
    private ControlApi? _controlApi;
    private readonly StateFolder _stateFolder;
    private bool _started;
    private bool _stopped;

    internal DistributedApplication(EstateOptions options, IReadOnlyList<Resource> resources, IReadOnlyList<IControlApiExtension> extensions,
        IReadOnlyList<ParameterResource> parameters)
    {
        Options = options;
        Parameters = parameters;
        Resources = resources;
        ControlApiExtensions = extensions;
        Access = new ControlAccess(ControlToken);
        _console = new EstateConsole(options.EchoResourceOutput);
        _context = new EstateContext(options, Logs);
        _stateFolder = new StateFolder(options, resources, _context);
        _runtimes = resources.ToDictionary(r => r.Name, CreateRuntime);
        Logs.LineReceived += _console.WriteResourceLine;
    }

    public EstateOptions Options { get; }

    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>The model's parameters (<see cref="DistributedApplicationBuilder.AddParameter"/>).</summary>
    public IReadOnlyList<ParameterResource> Parameters { get; }

    /// <summary>A parameter's value in this estate: given, defaulted, or generated and kept in the state folder.</summary>
    public string GetParameterValue(string name) =>
        _context.ValueOf(Parameters.FirstOrDefault(p => p.Name == name)
            ?? throw new KeyNotFoundException($"The model has no parameter '{name}'. It has: {string.Join(", ", Parameters.Select(p => p.Name))}."));

    public ResourceLogs Logs { get; } = new();

    /// <summary>The AppHost's own URL: control API, OTLP receiver and dashboard.</summary>
    public Uri DashboardUrl => _context.DashboardUrl ?? throw new InvalidOperationException("The estate has not started.");

    /// <summary>Opens a dashboard session in the browser: the token exchanged for a session cookie.</summary>
    public Uri DashboardLoginUrl => new(DashboardUrl, $"/login?t={ControlToken}");

    /// <summary>The bearer token of the control API, also written to control.json in the state folder.</summary>
    public string ControlToken { get; } = Secrets.Generate(32);

    public string OtlpApiKey => _context.OtlpApiKey;

    /// <summary>The key the estate's services require of each other's internal APIs (<see cref="ServiceKeyConvention"/>).</summary>
    public string ServiceKey => _context.ServiceKey;

    /// <summary>With <c>--chaos</c>, the fault proxies between services and what they reference.</summary>
    internal Chaos.FaultProxies FaultProxies => _context.FaultProxies;

    /// <summary>Who may use the control API and the dashboard: the control token, or a session opened with it.</summary>
    public ControlAccess Access { get; }

    public IReadOnlyList<IControlApiExtension> ControlApiExtensions { get; }

    /// <summary>The extension of that type the model added (the dashboard, for one), or null.</summary>
    public T? GetExtension<T>() where T : class, IControlApiExtension => ControlApiExtensions.OfType<T>().FirstOrDefault();

    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var hook = TestingHook.Value;
        var options = hook?.CreateOptions(args) ?? ParseOrExit(args);
        return new DistributedApplicationBuilder(options);
    }

    /// <summary>Runs until Ctrl+C or SIGTERM, then stops everything. What <c>dotnet run</c> of the AppHost does.</summary>
    public async Task RunAsync()
    {
        if (TestingHook.Value is not null)
        {
            return;
        }

        var shutdown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            var clock = Stopwatch.StartNew();
            await StartAsync();
            _console.Info($"dashboard: {DashboardLoginUrl} (a one-click login; resources show there while they start)");
            var ready = await WaitUntilHealthyOrTimeoutAsync(shutdown.Task);
            _console.PrintResourceTable(GetSnapshots(), ready ? $"estate ready in {clock.Elapsed.TotalSeconds:0.0} s" : "not every resource became healthy: see the output above");
            _console.Info($"dashboard: {DashboardLoginUrl} · control API token: {ControlToken} (also in {Path.Combine(Options.StateDirectory, "control.json")}); Ctrl+C stops the estate");
            if (Parameters.Count > 0)
            {
                _console.Info($"parameters ({string.Join(", ", Parameters.Select(p => p.Name))}): ./estate keys, or {Path.Combine(Options.StateDirectory, "secrets.json")} for the generated ones");
            }
            await shutdown.Task;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _console.Error($"the estate could not start: {e.Message}");
            Environment.ExitCode = 1;
        }
        finally
        {
            var clock = Stopwatch.StartNew();
            _console.Info("stopping the estate…");
            await StopAsync();
            _console.Info($"estate stopped in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.TrySetResult();
        }
    }

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public IReadOnlyList<ResourceSnapshot> GetSnapshots() => _runtimes.Values.Select(r => r.Snapshot()).ToList();

    public ResourceSnapshot GetSnapshot(string name) => GetRuntime(name).Snapshot();

    /// <summary>How a replica was last started: command line and environment, secrets included.</summary>
    public LaunchDetails? GetLaunchDetails(string name, int replica = 0) => GetRuntime(name).LaunchDetails(replica);

    public async Task ExecuteCommandAsync(string name, ResourceCommand command, int? replica = null)
    {
        var runtime = GetRuntime(name);
        switch (command)
        {
            case ResourceCommand.Start:
                await runtime.StartAsync(_lifetime.Token);
                break;
            case ResourceCommand.Stop:
                await runtime.StopAsync();
                break;
            case ResourceCommand.Restart:
                await runtime.StopAsync();
                await runtime.StartAsync(_lifetime.Token);
                break;
            case ResourceCommand.Kill:
                await runtime.KillAsync(replica);
                break;
        }
    }

    public string GetConnectionString(string name) =>
        Resources.FirstOrDefault(r => r.Name == name) is IResourceWithConnectionString withConnectionString
            ? withConnectionString.GetConnectionString()
            : throw new KeyNotFoundException($"The estate has no resource '{name}' with a connection string.");

    /// <summary>The connection string <paramref name="client"/> is given for broker <paramref name="name"/>: its own user's.</summary>
    public string GetConnectionString(string name, string client) =>
        Resources.FirstOrDefault(r => r.Name == name) is RabbitMQServerResource broker
            ? broker.GetConnectionString(client)
            : throw new KeyNotFoundException($"The estate has no broker '{name}'.");

    public Uri GetEndpoint(string name, string endpointName = "http", int replica = 0) =>
        Resources.OfType<ProcessResource>().FirstOrDefault(r => r.Name == name)?.GetEndpoint(endpointName, replica).Url
        ?? throw new KeyNotFoundException($"The estate has no process resource '{name}'.");

    /// <summary>
    /// A client for a resource that speaks as one of the estate's services: it carries the service key, so tests and
    /// tools reach the orchestrator's API and the simulators' system APIs as the services themselves do.
    /// </summary>
    public HttpClient CreateHttpClient(string name, string endpointName = "http", int replica = 0)
    {
        var client = new HttpClient { BaseAddress = GetEndpoint(name, endpointName, replica), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(ServiceKeyConvention.HeaderName, ServiceKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _lifetime.Dispose();
        Logs.LineReceived -= _console.WriteResourceLine;
    }

    internal ResourceRuntime GetRuntime(string name) =>
        _runtimes.TryGetValue(name, out var runtime)
            ? runtime
            : throw new KeyNotFoundException($"The estate has no resource '{name}'. It has: {string.Join(", ", _runtimes.Keys)}.");

    private static EstateOptions ParseOrExit(string[] args)
    {
        try
        {
            var options = EstateOptions.Parse(args);
            options.ExitOnUsageError = true;
            if (options.ShowHelp)
            {
                Console.WriteLine(EstateOptions.Usage);
                Environment.Exit(0);
            }

            return options;
        }
        catch (EstateUsageException e)
        {
            ExitWithUsage(e);
            throw;
        }
    }

    internal static void ExitWithUsage(EstateUsageException e)
    {
        Console.Error.WriteLine($"error: {e.Message}{Environment.NewLine}{Environment.NewLine}{EstateOptions.Usage}");
        Environment.Exit(2);
    }

    private ResourceRuntime CreateRuntime(Resource resource) => resource switch
    {
        PostgresServerResource postgres => new ProcessResourceRuntime(postgres, new PostgresLauncher(postgres, _context), _context),
        RedisResource redis => new ProcessResourceRuntime(redis, new RedisLauncher(redis, _context), _context),
        RabbitMQServerResource rabbit => new ProcessResourceRuntime(rabbit, new RabbitMQLauncher(rabbit, _context), _context),
        ProjectResource project => new ProcessResourceRuntime(project, new ProjectLauncher(project, _context), _context),
        PostgresDatabaseResource database => new DatabaseRuntime(database, r => GetRuntime(r.Name).State),
        _ => throw new NotSupportedException($"No runtime for resource type {resource.GetType().Name}."),
    };
}
