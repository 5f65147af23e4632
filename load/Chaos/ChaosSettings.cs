using LogisticsSync.Hosting;

namespace LogisticsSync.Load.Chaos;

/// <summary>The runner's command line.</summary>
public sealed record ChaosSettings(string Command, string ScenarioPath, bool Boot, string StateDirectory, string? ReportDirectory)
{
    public const string Usage = """
        Usage: dotnet run --project load/Chaos -c Release -- run <scenario.json> [--boot | --state <dir>] [--report <dir>]
               dotnet run --project load/Chaos -c Release -- validate <scenario.json>

          run        plays the scenario's traffic and fault timeline, waits for the estate to settle, checks the
                     invariants and writes a report; exit code 0 only when every invariant holds
          validate   checks a scenario file and prints what it would do
          --boot     boot an estate of its own (testing builder: free ports, temporary state, stopped afterwards)
          --state    the running estate's state folder (default: .estate at the repository root, ./run.sh's)
          --report   the report folder (default: load/reports/chaos-<scenario>-<yyyyMMdd-HHmmss>)

        Named scenarios: load/Chaos/scenarios/{infra-crash,network,partners-bad-day,go-live}.json; docs/chaos.md.
        """;

    /// <returns>Null when help was asked for.</returns>
    /// <exception cref="FormatException">The command line is not understood.</exception>
    public static ChaosSettings? Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            return null;
        }

        if (args[0] is not ("run" or "validate"))
        {
            throw new FormatException($"unknown command '{args[0]}': run or validate");
        }

        string? scenario = null;
        string? state = null;
        string? report = null;
        var boot = false;
        for (var i = 1; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--boot":
                    boot = true;
                    break;
                case "--state":
                    state = Value();
                    break;
                case "--report":
                    report = Value();
                    break;
                case var other when other.StartsWith('-'):
                    throw new FormatException($"unknown option {other}");
                default:
                    scenario = scenario is null ? args[i] : throw new FormatException($"one scenario file at a time ({scenario}, {args[i]})");
                    break;
            }
        }

        if (boot && state is not null)
        {
            throw new FormatException("--boot and --state exclude each other: boot an estate, or name a running one");
        }

        return new ChaosSettings(args[0], scenario ?? throw new FormatException("no scenario file given"), boot,
            state ?? Path.Combine(EstateOptions.RepositoryRoot, ".estate"), report);
    }
}
