using LogisticsSync.LoadRunner.Simulations;
using LogisticsSync.LoadRunner.Thresholds;

namespace LogisticsSync.Load.Scenarios.CommandLine;

/// <summary>The command line, read by hand (Spectre.Console.Cli is not served here): every mistake names itself.</summary>
internal sealed record RunSettings
{
    public const string Usage = """
        usage: Scenarios [SCENARIO…] [options]

        scenarios (default: release read):
          release   ERP releases shipments through the gateway (POST /api/v1/shipments, Idempotency-Key; a timed-out
                    attempt is retried with the same key, as a careful client does)
          read      partners read shipments and their timelines (GET /api/v1/shipments/{id}, …/timeline)
          webhooks  a carrier's signed webhook storm (POST /webhooks/carriers/{carrier}, Standard Webhooks) with a share of
                    duplicates; needs a gateway with the webhook endpoint (not run by default)
          day       a day in the life: the ERP simulator releases orders through the gateway under a moderate fault profile
                    and the WMS picks and packs them, while the runner reads (the read scenario; add webhooks for the
                    storm too); the report adds what the ERP, WMS and orchestrator did. With --boot the ERP runs at
                    --erp-rate; against a running estate (./run.sh's) at the rate it was started with, its simulators
                    found through the estate's control API (--estate-state) and given their own fault profiles back

        target (one of):
          --url URL                 a running estate's gateway (default http://127.0.0.1:5080, ./run.sh's)
          --boot                    boot an estate through the testing builder (free ports, temporary state, stopped after)
          --replicas N              orchestrator replicas with --boot (default 2)

        load:
          --load "STAGES"           every scenario's load (default "rate 50 for 20s")
          --release-load "STAGES"   one scenario's load (likewise --read-load)
                                    STAGES: rate R for D | ramp-rate R over D | random-rate MIN-MAX for D |
                                    copies N for D | ramp-copies N over D | iterations I by N | pause D, joined with ';'
          --warm-up D               unmeasured warm-up per scenario (default 3s)
          --max-concurrency N       open model: iterations in flight at most (default 256)
          --request-timeout D       per attempt (default 5s)
          --retries N               release: attempts after a timeout, a failed connection or 502/503/504/429 (default 2)
          --api-key KEY             key for releases (default the estate's ERP key)
          --read-key KEY            key for reads (default the estate's portal key)
          --carrier ID              webhooks: parcelfast (default) or freightline, with the estate's key and secret for it
          --carrier-key KEY, --webhook-secret whsec_…   webhooks: another carrier's key and signing secret
          --duplicate-share P%      webhooks: deliveries that repeat an earlier message (default 10%)
          --erp-rate R              day with --boot: orders the ERP simulator releases per second (default 10)
          --erp URL, --wms URL      day against a running estate: its simulators, when not found through --estate-state

        verdict and report:
          --threshold "T"           repeatable, e.g. "p99 < 50ms", "release: fail rate < 0.1% abort", "status 5xx share < 1%"
          --percentiles LIST        default 50,75,90,95,99,99.9
          --report-dir DIR          default load/reports/run-<UTC time>

        baselines (same run, same machine):
          --baselines               pgbench single-insert TPS, redis-benchmark SET NX, and wrk against the read endpoint at
                                    the same rate as the runner (needs --boot, or --postgres and --redis for the first two)
          --baseline-seconds N      each baseline's length (default 10)
          --wrk-rate R              the cross-check's rate (default 100/s)
          --postgres CONN --redis CONN   a running estate's servers (ConnectionStrings__logistics / __redis); without them
                                    they are read from the running estate itself (--estate-state, default .estate/)
          --estate-state DIR        the running estate's state folder (control.json), for the above

        exit code: 0 passed, 1 a threshold breached or the run aborted, 2 a usage error.
        """;

    public IReadOnlyList<string> Scenarios { get; init; } = ["release", "read"];

    public Uri Url { get; init; } = new("http://127.0.0.1:5080");

    public bool Boot { get; init; }

    public int Replicas { get; init; } = 2;

    public IReadOnlyDictionary<string, IReadOnlyList<LoadSimulation>> Loads { get; init; } = new Dictionary<string, IReadOnlyList<LoadSimulation>>();

    public IReadOnlyList<LoadSimulation> DefaultLoad { get; init; } = LoadSimulation.ParseList("rate 50 for 20s");

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxConcurrency { get; init; } = 256;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public int Retries { get; init; } = 2;

    /// <summary>Null: the estate's ERP key (<see cref="Estate.PartnerKeys"/>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Null: the estate's portal key.</summary>
    public string? ReadKey { get; init; }

    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    public IReadOnlyList<double> Percentiles { get; init; } = [50, 75, 90, 95, 99, 99.9];

    public string? ReportDirectory { get; init; }

    public bool Baselines { get; init; }

    public int BaselineSeconds { get; init; } = 10;

    public double WrkRate { get; init; } = 100;

    public string? Postgres { get; init; }

    public string? Redis { get; init; }

    public string EstateState { get; init; } = Path.Combine(LogisticsSync.Hosting.EstateOptions.RepositoryRoot, ".estate");

    public static readonly string[] Known = ["release", "read", "webhooks"];

    /// <summary>The "day" mix: the ERP and WMS simulators drive the writes, the runner the reads (and webhooks if named).</summary>
    public const string DayMix = "day";

    public bool DayInTheLife { get; init; }

    public double ErpOrdersPerSecond { get; init; } = 10;

    /// <summary>Whether --erp-rate was given: it sets the rate of an ERP booted for the run, not of a running one.</summary>
    public bool ErpRateGiven { get; init; }

    public Uri? Erp { get; init; }

    public Uri? Wms { get; init; }

    public string Carrier { get; init; } = "parcelfast";

    public string? CarrierKey { get; init; }

    public string? WebhookSecret { get; init; }

    public double DuplicateShare { get; init; } = 0.10;

    public IReadOnlyList<LoadSimulation> LoadOf(string scenario) => Loads.GetValueOrDefault(scenario) ?? DefaultLoad;

    /// <summary>The settings, or null after printing the usage (for --help) ; throws <see cref="FormatException"/> on a mistake.</summary>
    public static RunSettings? Parse(IReadOnlyList<string> args) => new RunSettingsParser(args).Parse();

    internal Carriers.CarrierWebhookSettings CarrierWebhooks(Estate.PartnerKeys keys) => new(Carrier, keys.Carrier, keys.WebhookSecret, DuplicateShare);
}
