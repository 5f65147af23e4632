using LogisticsSync.Hosting.Processes;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>What every resource's runtime shares: the state folder, secrets, ports, logs, telemetry settings.</summary>
internal sealed class EstateContext(EstateOptions options, ResourceLogs logs)
{
    public EstateOptions Options { get; } = options;

    public string StateDirectory { get; } = options.StateDirectory;

    public ResourceLogs Logs { get; } = logs;

    public PortAllocator Ports { get; } = new();

    public Secrets Secrets { get; } = new(options.StateDirectory);

    public PidRecords PidRecords { get; } = new(Path.Combine(options.StateDirectory, "pids"));

    /// <summary>With <c>--chaos</c>: the TCP fault proxies between each service and what it references.</summary>
    public Chaos.FaultProxies FaultProxies { get; } = new();

    /// <summary>The AppHost's own URL: control API, OTLP receiver and dashboard.</summary>
    public Uri? DashboardUrl { get; set; }

    /// <summary>The per-run key services send in <c>x-otlp-api-key</c>.</summary>
    public string OtlpApiKey { get; } = Secrets.Generate(32);

    /// <summary>The key the estate's services require of each other (<see cref="ServiceKeyConvention"/>).</summary>
    public string ServiceKey => Secrets.GetOrCreate(ServiceKeyConvention.SecretName);

    /// <summary>A model parameter's value: given or defaulted, else generated once per state folder.</summary>
    public string ValueOf(Model.ParameterResource parameter) =>
        parameter.GivenValue ?? Secrets.GetOrCreate(parameter.Name, parameter.Generate);

    public string DirectoryFor(string resourceName)
    {
        // Owner only: server data, the broker's cookie and Redis's files are nobody else's to read.
        var directory = Path.Combine(StateDirectory, resourceName);
        Directory.CreateDirectory(directory, StateFolder.OwnerOnly);
        return directory;
    }

    /// <summary>Runs a one-shot tool (initdb, dotnet build) to completion, its output going to the resource's log.</summary>
    public async Task RunToCompletionAsync(string resourceName, ProcessSpec spec, CancellationToken cancellationToken)
    {
        var output = new List<string>();
        var process = await ChildProcess.StartAsync(spec, (line, isError) =>
        {
            lock (output)
            {
                output.Add(line);
            }

            Logs.Append(resourceName, 0, line, isError);
        });
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await process.KillAsync();
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{spec.DisplayCommand}' exited with code {process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, output.TakeLast(30))}");
        }
    }
}
