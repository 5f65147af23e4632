using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.ServiceDefaults;
using Npgsql;

namespace LogisticsSync.Load.Scenarios.Partners;

/// <summary>
/// The partners' share of a "day in the life": the ERP simulator releases orders through the gateway as a real client
/// (its own Idempotency-Keys, Polly retries, resends) and the WMS simulator picks and packs what the orchestrator
/// releases. Booted for the run, they start in an outage so that nothing is released before the measured run; in a
/// running estate they run at the rate they were started with, under the moderate profile for the run, and get their
/// own profile back at the end. The report counts what happened between <see cref="StartAsync"/> and <see cref="EndAsync"/>.
/// </summary>
public sealed class SimulatedPartnerDay(Uri erp, Uri wms, string database, double? ordersPerSecond, string adminKey) : IDisposable
{
    /// <summary>A fixed seed: the same orders and faults every run, so two reports differ by the system, not the dice.</summary>
    public const int Seed = 20261123;

    /// <summary>Ten simulated minutes per real second: a whole allocate–pick–pack (17–75 simulated minutes) fits in 2–8 s.</summary>
    public const double TimeScale = 600;

    /// <summary>
    /// Moderate ERP faults: a few lost responses (retried under the same key after the 2 s attempt timeout) and resends
    /// after success, plus some latency per call — what a healthy but real partner connection shows.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, object> ErpFaults = new Dictionary<string, object>
    {
        ["latencyMs"] = 10, ["latencyJitterMs"] = 40, ["timeoutRate"] = 0.05, ["duplicateRate"] = 0.05,
    };

    /// <summary>Moderate WMS faults: redelivered, reordered, short-picked and late confirmations.</summary>
    public static readonly IReadOnlyDictionary<string, object> WmsFaults = new Dictionary<string, object>
    {
        ["duplicateRate"] = 0.05, ["reorderRate"] = 0.05, ["shortPickRate"] = 0.05, ["lateConfirmationRate"] = 0.05,
    };

    // The ERP simulator's business keys start "SO-"; the runner's own (seeded read targets) start "LOAD-".
    private const string ErpKeyPattern = "SO-%";

    // Figures that are a level at a moment, not a count of what happened: reported as at the end, not as a difference.
    private static readonly HashSet<string> Levels = ["pending", "ordersInProgress"];

    private readonly HttpClient _erp = AdminClient(erp, adminKey);
    private readonly HttpClient _wms = AdminClient(wms, adminKey);
    private JsonElement _erpProfileBefore;
    private JsonElement _wmsProfileBefore;
    private JsonElement _releasesBefore;
    private JsonElement _workBefore;
    private DateTimeOffset _started;
    private DateTimeOffset _ended;

    /// <summary>The simulators of a running estate: not booted by the runner, so their rate and profile are theirs.</summary>
    private bool Running => ordersPerSecond is null;

    /// <summary>The environment of each simulator at boot (<c>Simulator__*</c>); the ERP starts in an outage.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string role, double ordersPerSecond)
    {
        var variables = new Dictionary<string, string>
        {
            ["Simulator__Seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["Simulator__TimeScale"] = TimeScale.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (knob, value) in role == ResourceNames.Erp ? ErpFaults : WmsFaults)
        {
            variables[$"Simulator__Faults__{char.ToUpperInvariant(knob[0])}{knob[1..]}"] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }

        if (role == ResourceNames.Erp)
        {
            variables["Simulator__Faults__Outage"] = "true";
            variables["Simulator__Erp__OrdersPerSecond"] = ordersPerSecond.ToString(CultureInfo.InvariantCulture);
            variables["Simulator__Erp__AttemptTimeout"] = "00:00:02";
        }

        return variables;
    }

    /// <summary>
    /// The ERP's day begins: booted, its outage is lifted (the profile is replaced whole, the faults kept); running, both
    /// simulators' profiles are kept for <see cref="EndAsync"/> and the moderate ones put in their place.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Running)
        {
            _erpProfileBefore = await _erp.GetFromJsonAsync<JsonElement>("/admin/faults", cancellationToken);
            _wmsProfileBefore = await _wms.GetFromJsonAsync<JsonElement>("/admin/faults", cancellationToken);
            await PutFaultsAsync(_wms, WmsFaults, cancellationToken);
        }

        _releasesBefore = await _erp.GetFromJsonAsync<JsonElement>("/erp/releases", cancellationToken);
        _workBefore = await _wms.GetFromJsonAsync<JsonElement>("/wms/work", cancellationToken);
        _started = DateTimeOffset.UtcNow;
        await PutFaultsAsync(_erp, new Dictionary<string, object>(ErpFaults) { ["outage"] = false }, cancellationToken);
    }

    /// <summary>
    /// The ERP stops releasing (booted) or both simulators get their own profiles back (running), then what the ERP,
    /// the WMS and the orchestrator did since <see cref="StartAsync"/> is read.
    /// </summary>
    public async Task<ReportSection> EndAsync(CancellationToken cancellationToken)
    {
        if (Running)
        {
            await PutFaultsAsync(_erp, _erpProfileBefore, cancellationToken);
            await PutFaultsAsync(_wms, _wmsProfileBefore, cancellationToken);
        }
        else
        {
            await PutFaultsAsync(_erp, new Dictionary<string, object>(ErpFaults) { ["outage"] = true }, cancellationToken);
        }

        _ended = DateTimeOffset.UtcNow;
        var releases = await _erp.GetFromJsonAsync<JsonElement>("/erp/releases", cancellationToken);
        var work = await _wms.GetFromJsonAsync<JsonElement>("/wms/work", cancellationToken);
        var states = await ShipmentStatesAsync(cancellationToken);
        var seconds = (_ended - _started).TotalSeconds;
        long Count(JsonElement report, JsonElement before, string name) =>
            report.GetProperty(name).GetInt64() - (Levels.Contains(name) ? 0 : before.GetProperty(name).GetInt64());
        long Released(string name) => Count(releases, _releasesBefore, name);
        long Worked(string name) => Count(work, _workBefore, name);
        string Figure(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        var rateSet = ordersPerSecond is { } rate ? $"{rate.ToString("0.##", CultureInfo.InvariantCulture)}/s" : "as started";

        List<IReadOnlyList<string>> rows =
        [
            ["ERP", "release rate set / achieved", $"{rateSet} / {(Released("released") / seconds).ToString("0.##", CultureInfo.InvariantCulture)}/s over {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s"],
            ["ERP", "orders started / released / pending / rejected", string.Join(" / ", new[] { "orders", "released", "pending", "rejected" }.Select(name => Figure(Released(name))))],
            ["ERP", "attempts / lost responses (retried under the same key)", $"{Figure(Released("attempts"))} / {Figure(Released("lostResponses"))}"],
            ["ERP", "resends after success / answered as replays", $"{Figure(Released("resent"))} / {Figure(Released("resendsReplayed"))}"],
            ["WMS", "orders received / in progress / packed", string.Join(" / ", new[] { "ordersReceived", "ordersInProgress", "ordersPacked" }.Select(name => Figure(Worked(name))))],
            ["WMS", "short picks / late confirmations / reordered", string.Join(" / ", new[] { "shortPicks", "lateConfirmations", "reordered" }.Select(name => Figure(Worked(name))))],
            ["WMS", "confirmations sent / of which duplicates", $"{Figure(Worked("confirmationsSent"))} / {Figure(Worked("duplicatesSent"))}"],
        ];
        rows.AddRange(states.Select(state => (IReadOnlyList<string>)["orchestrator", $"shipments {state.State}: ERP orders / all", $"{Figure(state.ErpOrders)} / {Figure(state.All)}"]));
        return new ReportSection("Partners' day (ERP and WMS simulators)",
            $"The ERP simulator ({(Running ? "the running estate's, its own seed and time scale" : $"seed {Seed}, time scale {TimeScale:0}×")}) released orders through the gateway while the runner read; faults: ERP {Describe(ErpFaults)}, WMS {Describe(WmsFaults)}. " +
            "Counts are of what happened during the run (in progress and pending: as at its end); work still in the warehouse is in progress, not lost. " +
            "Shipments per state are those released during the run. The WMS also works the runner's seeded read targets, so its counts exceed the ERP's.",
            ["system", "figure", "value"], rows);
    }

    public void Dispose()
    {
        _erp.Dispose();
        _wms.Dispose();
    }

    private static async Task PutFaultsAsync<TProfile>(HttpClient simulator, TProfile profile, CancellationToken cancellationToken)
    {
        using var response = await simulator.PutAsJsonAsync("/admin/faults", profile, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Shipments released during the run per state in the orchestrator's database: the ERP's orders (by their key) and all of them.</summary>
    private async Task<List<(string State, long ErpOrders, long All)>> ShipmentStatesAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand(
            "SELECT state, count(*) FILTER (WHERE business_key LIKE $1), count(*) FROM shipments WHERE created_at >= $2 GROUP BY state ORDER BY state");
        command.Parameters.Add(new NpgsqlParameter { Value = ErpKeyPattern });
        command.Parameters.Add(new NpgsqlParameter { Value = _started });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<(string, long, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return states;
    }

    private static string Describe(IReadOnlyDictionary<string, object> faults) =>
        string.Join(", ", faults.Select(knob => $"{knob.Key} {Convert.ToString(knob.Value, CultureInfo.InvariantCulture)}"));

    private static HttpClient AdminClient(Uri simulator, string adminKey)
    {
        var client = new HttpClient { BaseAddress = simulator, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
        return client;
    }
}
