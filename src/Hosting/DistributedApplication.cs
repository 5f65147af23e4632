using System.Diagnostics;
using System.Runtime.InteropServices;
using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Infrastructure;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting;

public enum ResourceCommand
{
    Start,
    Stop,
    Restart,
    /// <summary>SIGKILL to every process of the resource, for chaos runs: the engine restarts it.</summary>
    Kill,
}

/// <summary>The running estate: starts the model's resources in dependency order and stops them in reverse.</summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    /// <summary>Set by the testing builder: hands the builder over instead of running the estate.</summary>
    internal static readonly AsyncLocal<ITestingHook?> TestingHook = new();

    private readonly EstateContext _context;
    private readonly Dictionary<string, ResourceRuntime> _runtimes;
    private readonly EstateConsole _console;
    private readonly List<Task> _startTasks = [];
    private readonly CancellationTokenSource _lifetime = new();
    private ControlApi? _controlApi;
    private FileStream? _stateLock;
    private bool _started;
    private bool _stopped;

    internal DistributedApplication(EstateOptions options, IReadOnlyList<Resource> resources, IReadOnlyList<IControlApiExtension> extensions)
    {
        Options = options;
        Resources = resources;
        ControlApiExtensions = extensions;
        Access = new ControlAccess(ControlToken);
        _console = new EstateConsole(options.EchoResourceOutput);
        _context = new EstateContext(options, Logs);
        _runtimes = resources.ToDictionary(r => r.Name, CreateRuntime);
        Logs.LineReceived += _console.WriteResourceLine;
    }

    public EstateOptions Options { get; }

    public IReadOnlyList<Resource> Resources { get; }

    public ResourceLogs Logs { get; } = new();

    /// <summary>The AppHost's own URL: control API, OTLP receiver and dashboard.</summary>
    public Uri DashboardUrl => _context.DashboardUrl ?? throw new InvalidOperationException("The estate has not started.");

    /// <summary>Opens a dashboard session in the browser: the token exchanged for a session cookie.</summary>
    public Uri DashboardLoginUrl => new(DashboardUrl, $"/login?t={ControlToken}");

    /// <summary>The bearer token of the control API, also written to control.json in the state folder.</summary>
    public string ControlToken { get; } = Secrets.Generate(32);

    public string OtlpApiKey => _context.OtlpApiKey;

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

    /// <summary>Prepares the state folder and launches every resource; does not wait for health.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("The estate was started already.");
        }

        _started = true;
        Directory.CreateDirectory(Options.StateDirectory);
        _stateLock = LockStateFolder(Options.StateDirectory);
        foreach (var leftover in await _context.PidRecords.StopLeftoversAsync())
        {
            _console.Info($"stopped a process a previous AppHost left running: {leftover}");
        }

        if (Options.Fresh)
        {
            WipeStateFolder();
        }

        AssignCredentials();
        AllocateEndpoints();
        _controlApi = await ControlApi.StartAsync(this, Options.DashboardPort, _console, cancellationToken);
        _context.DashboardUrl = _controlApi.Url;
        WriteControlFile();

        foreach (var runtime in _runtimes.Values)
        {
            runtime.MarkWaiting();
        }

        foreach (var runtime in _runtimes.Values)
        {
            _startTasks.Add(StartWhenDependenciesHealthyAsync(runtime, _lifetime.Token));
        }
    }

    /// <summary>Waits until every resource (or the named ones) is healthy; on timeout the error carries their output.</summary>
    public async Task WaitForHealthyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default, params string[] names)
    {
        var targets = names.Length == 0 ? _runtimes.Values.ToList() : names.Select(GetRuntime).ToList();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout ?? Options.StartTimeout);
        try
        {
            foreach (var target in targets)
            {
                await WaitHealthyAsync(target, timeoutSource.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(DescribeUnhealthy(targets));
        }
    }

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

    public Uri GetEndpoint(string name, string endpointName = "http", int replica = 0) =>
        Resources.OfType<ProcessResource>().FirstOrDefault(r => r.Name == name)?.GetEndpoint(endpointName, replica).Url
        ?? throw new KeyNotFoundException($"The estate has no process resource '{name}'.");

    public HttpClient CreateHttpClient(string name, string endpointName = "http", int replica = 0) =>
        new() { BaseAddress = GetEndpoint(name, endpointName, replica), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Stops every resource, dependents before what they depend on, gracefully then by force.</summary>
    public async Task StopAsync()
    {
        if (!_started || _stopped)
        {
            return;
        }

        _stopped = true;
        await _lifetime.CancelAsync();
        await Task.WhenAll(_startTasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var stopTasks = new Dictionary<Resource, Task>();
        foreach (var runtime in _runtimes.Values)
        {
            _ = StopAfterDependents(runtime.Resource);
        }

        await Task.WhenAll(stopTasks.Values);
        await Task.WhenAll(_runtimes.Values.Select(r => r.ShutdownAsync()));
        if (_controlApi is not null)
        {
            await _controlApi.DisposeAsync();
        }

        _stateLock?.Dispose();
        if (Options.DeleteStateOnDispose)
        {
            WipeDataKeptOutsideStateFolder();
            Directory.Delete(Options.StateDirectory, recursive: true);
        }

        // Over Dependencies (waits and servers), which is acyclic: services that reference each other in a
        // cycle stop side by side, each before the servers it uses.
        Task StopAfterDependents(Resource resource)
        {
            if (!stopTasks.TryGetValue(resource, out var task))
            {
                var dependents = Resources.Where(r => r.Dependencies.Contains(resource)).Select(StopAfterDependents).ToList();
                task = stopTasks[resource] = StopWhenAllDoneAsync(dependents, _runtimes[resource.Name]);
            }

            return task;
        }

        static async Task StopWhenAllDoneAsync(List<Task> dependents, ResourceRuntime runtime)
        {
            await Task.WhenAll(dependents);
            await runtime.StopAsync();
        }
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

    private async Task StartWhenDependenciesHealthyAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var dependency in runtime.StartAfter)
            {
                await WaitHealthyAsync(GetRuntime(dependency.Name), cancellationToken);
            }

            await runtime.StartAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Logs.Append(runtime.Resource.Name, 0, $"[estate] failed to start: {e.Message}", isError: true);
        }
    }

    private static async Task WaitHealthyAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        while (runtime.State != ResourceState.Healthy)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task<bool> WaitUntilHealthyOrTimeoutAsync(Task shutdown)
    {
        var healthy = WaitForHealthyAsync();
        await Task.WhenAny(healthy, shutdown);
        return healthy.IsCompletedSuccessfully;
    }

    private string DescribeUnhealthy(IEnumerable<ResourceRuntime> targets)
    {
        var lines = new List<string> { "Resources did not become healthy in time:" };
        foreach (var runtime in targets.Where(t => t.State != ResourceState.Healthy))
        {
            var snapshot = runtime.Snapshot();
            lines.Add($"--- {snapshot.Name}: {snapshot.State} ({string.Join("; ", snapshot.Replicas.Select(r => r.Health).OfType<string>().Distinct())})");
            lines.AddRange(Logs.Tail(snapshot.Name, 40).Select(l => $"    [{l.Source}] {l.Text}"));
        }

        return string.Join(Environment.NewLine, lines);
    }

    private void AssignCredentials()
    {
        foreach (var server in Resources.OfType<ServerResource>())
        {
            var user = server switch
            {
                PostgresServerResource => PostgresServerResource.DefaultUser,
                RabbitMQServerResource => RabbitMQServerResource.DefaultUser,
                _ => "default",
            };
            server.Credentials = new ServerCredentials(user, _context.Secrets.GetOrCreate($"{server.Name}-password"));
        }
    }

    private void AllocateEndpoints()
    {
        foreach (var resource in Resources.OfType<ProcessResource>())
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
            if (endpoint.Port is not ({ } fixedPort and > 0) || Options.UseFreePortsOnly)
            {
                return _context.Ports.Next();
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

    private static FileStream LockStateFolder(string stateDirectory)
    {
        try
        {
            // FileShare.None is an exclusive advisory lock on Linux: a second AppHost on the same folder fails here.
            return new FileStream(Path.Combine(stateDirectory, "estate.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"Another AppHost is using the state folder {stateDirectory}. Stop it, or pass --state <another folder>.");
        }
    }

    private void WipeDataKeptOutsideStateFolder()
    {
        foreach (var postgres in Resources.OfType<PostgresServerResource>())
        {
            PostgresLauncher.WipeFallbackData(Options.StateDirectory, postgres.Name);
        }
    }

    private void WipeStateFolder()
    {
        WipeDataKeptOutsideStateFolder();

        foreach (var entry in new DirectoryInfo(Options.StateDirectory).EnumerateFileSystemInfos())
        {
            if (entry.Name != "estate.lock")
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        _context.Secrets.Clear();
    }

    private void WriteControlFile()
    {
        var path = Path.Combine(Options.StateDirectory, "control.json");
        PrivateFile.Write(path, System.Text.Json.JsonSerializer.Serialize(new { url = DashboardUrl, token = ControlToken, pid = Environment.ProcessId }));
    }
}

/// <summary>How the testing builder takes part in <see cref="DistributedApplication.CreateBuilder"/>.</summary>
internal interface ITestingHook
{
    EstateOptions CreateOptions(string[] args);

    void OnBuilt(DistributedApplicationBuilder builder);
}
