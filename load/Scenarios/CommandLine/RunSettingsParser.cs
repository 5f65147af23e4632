using LogisticsSync.Load.Scenarios.Carriers;
using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.LoadRunner.Thresholds;
using static LogisticsSync.Load.Scenarios.CommandLine.OptionValue;

namespace LogisticsSync.Load.Scenarios.CommandLine;

/// <summary>
/// One pass over the command line. The options are read in the groups <see cref="RunSettings.Usage"/> lists them in;
/// each group answers null for a name that is not its own, and what no group knows is a scenario or a mistake.
/// </summary>
internal sealed class RunSettingsParser(IReadOnlyList<string> args)
{
    private readonly List<string> _scenarios = [];
    private readonly List<Threshold> _thresholds = [];
    private readonly Dictionary<string, IReadOnlyList<LoadSimulation>> _loads = [];
    private RunSettings _settings = new();
    private bool _urlGiven;
    private int _index;

    /// <summary>The settings, or null for --help; throws <see cref="FormatException"/> on a mistake.</summary>
    public RunSettings? Parse()
    {
        for (_index = 0; _index < args.Count; _index++)
        {
            var name = args[_index];
            if (name is "--help" or "-h")
            {
                return null;
            }

            _settings = Target(name) ?? Load(name) ?? Verdict(name) ?? Baselines(name) ?? Partners(name) ?? ScenarioOrMistake(name);
        }

        CheckCombinations();
        return _settings with { Scenarios = _scenarios.Count > 0 ? _scenarios.Distinct().ToList() : _settings.Scenarios, Thresholds = _thresholds, Loads = _loads };
    }

    private string Value(string name) => _index + 1 < args.Count && !args[_index + 1].StartsWith("--", StringComparison.Ordinal)
        ? args[++_index]
        : throw new FormatException($"{name} needs a value");

    private RunSettings? Target(string name)
    {
        switch (name)
        {
            case "--url":
                var url = HttpUrl(name, Value(name));
                _urlGiven = true;
                return _settings with { Url = url };
            case "--boot":
                return _settings with { Boot = true };
            case "--replicas":
                return _settings with { Replicas = Whole(name, Value(name)) };
            case "--estate-state":
                return _settings with { EstateState = Value(name) };
            default:
                return null;
        }
    }

    private RunSettings? Load(string name) => name switch
    {
        "--load" => _settings with { DefaultLoad = LoadSimulation.ParseList(Value(name)) },
        "--warm-up" => _settings with { WarmUp = LoadSimulation.ParseDuration(Value(name)) },
        "--max-concurrency" => _settings with { MaxConcurrency = Whole(name, Value(name)) },
        "--request-timeout" => _settings with { RequestTimeout = LoadSimulation.ParseDuration(Value(name)) },
        "--retries" => _settings with { Retries = Retries(Value(name)) },
        "--api-key" => _settings with { ApiKey = Value(name) },
        "--read-key" => _settings with { ReadKey = Value(name) },
        _ => null,
    };

    private RunSettings? Verdict(string name)
    {
        switch (name)
        {
            case "--threshold":
                _thresholds.Add(Threshold.Parse(Value(name)));
                return _settings;
            case "--percentiles":
                return _settings with { Percentiles = Percentiles(Value(name)) };
            case "--report-dir":
                return _settings with { ReportDirectory = Value(name) };
            default:
                return null;
        }
    }

    private RunSettings? Baselines(string name) => name switch
    {
        "--baselines" => _settings with { Baselines = true },
        "--baseline-seconds" => _settings with { BaselineSeconds = Whole(name, Value(name)) },
        "--wrk-rate" => _settings with { WrkRate = WrkRate(Value(name)) },
        "--postgres" => _settings with { Postgres = Value(name) },
        "--redis" => _settings with { Redis = Value(name) },
        _ => null,
    };

    /// <summary>The carrier of the webhook storm and the ERP and WMS simulators of the day in the life.</summary>
    private RunSettings? Partners(string name) => name switch
    {
        "--carrier" => _settings with { Carrier = Value(name) },
        "--carrier-key" => _settings with { CarrierKey = Value(name) },
        "--webhook-secret" => _settings with { WebhookSecret = Value(name) },
        "--duplicate-share" => _settings with { DuplicateShare = DuplicateShare(Value(name)) },
        "--erp-rate" => _settings with { ErpOrdersPerSecond = ErpRate(Value(name)), ErpRateGiven = true },
        "--erp" => _settings with { Erp = HttpUrl(name, Value(name)) },
        "--wms" => _settings with { Wms = HttpUrl(name, Value(name)) },
        _ => null,
    };

    /// <summary>Tried last: "--load" itself is <see cref="Load"/>'s, not a scenario's "--X-load".</summary>
    private RunSettings ScenarioOrMistake(string name)
    {
        switch (name)
        {
            case RunSettings.DayMix:
                // The ERP simulator makes the writes; the runner's share of the day is the portal's reads.
                _scenarios.Add("read");
                return _settings with { DayInTheLife = true };
            case var option when option.StartsWith("--", StringComparison.Ordinal) && option.EndsWith("-load", StringComparison.Ordinal) && RunSettings.Known.Contains(option[2..^5]):
                _loads[option[2..^5]] = LoadSimulation.ParseList(Value(name));
                return _settings;
            case var scenario when !scenario.StartsWith('-'):
                _scenarios.Add(RunSettings.Known.Contains(scenario) ? scenario : throw new FormatException($"unknown scenario '{scenario}' (known: {string.Join(", ", RunSettings.Known)}, {RunSettings.DayMix})"));
                return _settings;
            default:
                throw new FormatException($"unknown option '{name}'");
        }
    }

    private void CheckCombinations()
    {
        if (_settings.Boot && _urlGiven)
        {
            throw new FormatException("--url and --boot exclude each other");
        }

        if (_settings.ErpRateGiven && !_settings.Boot)
        {
            throw new FormatException("--erp-rate sets the rate of an ERP booted for the run (--boot); a running estate's ERP releases at the rate it was started with (Simulator__Erp__OrdersPerSecond)");
        }

        if ((_settings.Erp ?? _settings.Wms) is not null && _settings.Boot)
        {
            throw new FormatException("--erp and --wms name a running estate's simulators; with --boot the runner starts its own");
        }

        if ((_settings.CarrierKey is null || _settings.WebhookSecret is null) && !CarrierWebhookSettings.Known.Contains(_settings.Carrier))
        {
            throw new FormatException($"--carrier {_settings.Carrier}: not one of the estate's carriers ({string.Join(", ", CarrierWebhookSettings.Known)}); give --carrier-key and --webhook-secret");
        }
    }
}
