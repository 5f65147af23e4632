using System.Globalization;
using System.Reflection;

namespace LogisticsSync.Hosting;

/// <summary>The AppHost's command line: where state lives, whether to wipe it, where the dashboard listens.</summary>
public sealed class EstateOptions
{
    public const int DefaultDashboardPort = 18888;

    public const string Usage = """
        Usage: dotnet run --project src/AppHost -- [options]

          --state <dir>             state folder (server data, passwords, pid records); default: .estate/ at the repo root
          --fresh                   wipe the state folder first (new databases, new passwords)
          --verbose                 services log framework events (requests, HTTP calls) at Information on the console too
          --chaos                   put a TCP fault proxy on every reference, driven through /api/chaos/links (docs/chaos.md)
          --only <a,b,…>            run only these resources and what they depend on, e.g. --only postgres,redis,rabbitmq
          --dashboard-port <port>   control API, OTLP receiver and dashboard port; default 18888, 0 for any free port
          --dashboard-max-logs <n>  structured log entries the dashboard keeps (default 20000; oldest dropped first)
          --dashboard-max-spans <n> spans kept (default 50000)
          --dashboard-max-points <n> points kept per metric series (default 600: 10 minutes at 1 s)
          --dashboard-max-series <n> metric series kept in all (default 2000)
          --<parameter> <value>     a model parameter, e.g. --orchestrator-replicas 3 or --gateway-port 5080
          --help                    this text
        """;

    private readonly Dictionary<string, string> _parameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _consumedParameters = new(StringComparer.OrdinalIgnoreCase);

    public string StateDirectory { get; set; } = Path.Combine(RepositoryRoot, ".estate");

    public bool Fresh { get; set; }

    /// <summary>
    /// <c>--chaos</c>: every reference a service has goes through a TCP fault proxy of the engine, whose behaviour a
    /// chaos run sets through the control API (<c>/api/chaos/links</c>, docs/chaos.md).
    /// </summary>
    public bool Chaos { get; set; }

    /// <summary>
    /// Services keep the console to their own events (frameworks at Warning) unless this is set: every request
    /// and health probe at Information would bury what the estate itself says.
    /// </summary>
    public bool Verbose { get; set; }

    public int DashboardPort { get; set; } = DefaultDashboardPort;

    /// <summary>Ignore fixed ports of the model and take free ones (test estates run side by side).</summary>
    public bool UseFreePortsOnly { get; set; }

    /// <summary>Echo every resource's output on the AppHost console, prefixed with its name.</summary>
    public bool EchoResourceOutput { get; set; } = true;

    /// <summary>How long every resource has to become healthy.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The build configuration whose output the services run from (the engine's own, built with them).</summary>
    public string BuildConfiguration { get; set; } = Metadata(typeof(EstateOptions).Assembly, "EngineConfiguration") ?? "Debug";

    /// <summary>The repository the engine was built in (src/Hosting/../..): state, reports and projects live there.</summary>
    public static string RepositoryRoot { get; } = Path.GetFullPath(Path.Combine(
        Metadata(typeof(EstateOptions).Assembly, "EngineProjectDirectory") ?? AppContext.BaseDirectory, "..", ".."));

    /// <summary>
    /// The folder of AppHost.csproj: project paths in the model are relative to it, as in Aspire. The running
    /// AppHost names itself; tests and tools that load the model from elsewhere get the repository's AppHost.
    /// </summary>
    public static string AppHostDirectory { get; } =
        (Assembly.GetEntryAssembly() is { } entry ? Metadata(entry, "AppHostProjectDirectory") : null)
        ?? Path.Combine(RepositoryRoot, "src", "AppHost");

    public bool ShowHelp { get; private set; }

    /// <summary>Run only these resources and what they depend on (<c>--only a,b</c>); empty for all.</summary>
    public IReadOnlyList<string> Only { get; set; } = [];

    /// <summary>On the command line a usage mistake ends the process with a message; in tests it throws.</summary>
    internal bool ExitOnUsageError { get; set; }

    /// <summary>For throwaway (test) estates: the state folder goes when the estate is disposed.</summary>
    public bool DeleteStateOnDispose { get; set; }

    /// <exception cref="EstateUsageException">The command line is not understood.</exception>
    public static EstateOptions Parse(IReadOnlyList<string> args)
    {
        var options = new EstateOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--help" or "-h":
                    options.ShowHelp = true;
                    break;
                case "--fresh":
                    options.Fresh = true;
                    break;
                case "--verbose":
                    options.Verbose = true;
                    break;
                case "--chaos":
                    options.Chaos = true;
                    break;
                case "--state":
                    options.StateDirectory = Path.GetFullPath(ValueOf(args, ref i));
                    break;
                case "--only":
                    options.Only = ValueOf(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--dashboard-port":
                    options.DashboardPort = ParsePort(arg, ValueOf(args, ref i));
                    break;
                case not null when arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2:
                    options._parameters[arg[2..]] = ValueOf(args, ref i);
                    break;
                default:
                    throw new EstateUsageException($"Unexpected argument '{arg}'.");
            }
        }

        return options;
    }

    /// <summary>A model parameter given as <c>--name value</c>, or <paramref name="defaultValue"/>.</summary>
    public T GetParameter<T>(string name, T defaultValue) where T : IParsable<T>
    {
        _consumedParameters.Add(name);
        if (!_parameters.TryGetValue(name, out var text))
        {
            return defaultValue;
        }

        return T.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new EstateUsageException($"--{name}: '{text}' is not a valid {typeof(T).Name}.");
    }

    internal void SetParameter(string name, string value) => _parameters[name] = value;

    internal void ThrowOnUnknownParameters()
    {
        var unknown = _parameters.Keys.Where(k => !_consumedParameters.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new EstateUsageException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i) =>
        i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? args[++i]
            : throw new EstateUsageException($"{args[i]} needs a value.");

    private static int ParsePort(string option, string text) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new EstateUsageException($"{option}: '{text}' is not a port number (0-65535).");

    private static string? Metadata(Assembly assembly, string key) =>
        assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
