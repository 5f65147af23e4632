using System.Text.Json;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Chaos.Scenarios;

/// <summary>
/// Reads and checks a scenario file (scenarios/scenario.schema.json). Every problem is collected with where it is
/// (<c>faults[2].target</c>), so one run of the runner shows all of them; nothing is half-run from a bad file.
/// </summary>
public static class ScenarioFile
{
    public static readonly IReadOnlyList<string> Servers = [ResourceNames.Postgres, ResourceNames.Redis, ResourceNames.RabbitMQ];

    public static readonly IReadOnlyList<string> Simulators =
        [ResourceNames.Erp, ResourceNames.Wms, ResourceNames.Tms, ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine];

    public static readonly IReadOnlyList<string> Resources = [.. Servers, ResourceNames.Orchestrator, ResourceNames.Gateway, .. Simulators];

    private static readonly HashSet<string> TopLevel = ["$schema", "name", "description", "traffic", "estate", "settle", "faults"];
    private static readonly HashSet<string> FaultProperties = ["at", "kind", "target", "replica", "duration", "faults", "hogs", "skewSeconds", "latencyMs", "jitterMs", "bytesPerSecond"];

    public static ChaosScenario Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioFileException(path, [$"no such file (named scenarios are in load/Chaos/scenarios/: infra-crash, network, partners-bad-day, go-live)"]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static ChaosScenario Parse(string json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new ScenarioFileException(path, [$"not JSON: {exception.Message}"]);
        }

        using (document)
        {
            var problems = new List<string>();
            var reader = new Reader(problems);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioFileException(path, ["the file must hold one JSON object"]);
            }

            reader.Unknown(root, "", TopLevel);
            var name = reader.String(root, "name", required: true) ?? "";
            var traffic = ReadTraffic(reader, root);
            var estate = ReadEstate(reader, root);
            var settle = ReadSettle(reader, root);
            var faults = new List<FaultStep>();
            if (root.TryGetProperty("faults", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var fault in list.EnumerateArray())
                {
                    faults.Add(ReadFault(reader, fault, i++, estate.Replicas));
                }
            }
            else
            {
                problems.Add("faults: required, an array (it may be empty)");
            }

            if (problems.Count > 0)
            {
                throw new ScenarioFileException(path, problems);
            }

            return new ChaosScenario(name, reader.String(root, "description"), traffic, estate, settle, [.. faults.OrderBy(f => f.At).ThenBy(f => f.Index)]);
        }
    }

    private static Traffic ReadTraffic(Reader reader, JsonElement root)
    {
        if (!root.TryGetProperty("traffic", out var traffic) || traffic.ValueKind != JsonValueKind.Object)
        {
            reader.Problem("traffic: required, an object with at least erp.orders and erp.ordersPerSecond");
            return new Traffic(new ErpTraffic(1, 1), 0, null, null);
        }

        reader.Unknown(traffic, "traffic.", ["erp", "readsPerSecond", "webhooks", "duration"]);
        var erp = traffic.TryGetProperty("erp", out var e) ? e : default;
        if (erp.ValueKind == JsonValueKind.Object)
        {
            reader.Unknown(erp, "traffic.erp.", ["orders", "ordersPerSecond"]);
        }
        else
        {
            reader.Problem("traffic.erp: required, an object { orders, ordersPerSecond }");
        }

        var orders = erp.ValueKind == JsonValueKind.Object ? reader.Int(erp, "orders", "traffic.erp.", 1, 1_000_000, required: true) ?? 1 : 1;
        var rate = erp.ValueKind == JsonValueKind.Object ? reader.Number(erp, "ordersPerSecond", "traffic.erp.", 0.01, 1000, required: true) ?? 1 : 1;
        WebhookTraffic? webhooks = null;
        if (traffic.TryGetProperty("webhooks", out var w))
        {
            reader.Unknown(w, "traffic.webhooks.", ["perSecond", "carrier", "duplicateShare"]);
            var carrier = reader.String(w, "carrier", "traffic.webhooks.") ?? "parcelfast";
            if (carrier is not ("parcelfast" or "freightline"))
            {
                reader.Problem($"traffic.webhooks.carrier: '{carrier}' is not one of: parcelfast, freightline");
            }

            webhooks = new WebhookTraffic(reader.Number(w, "perSecond", "traffic.webhooks.", 0.1, 10_000, required: true) ?? 1, carrier,
                reader.Number(w, "duplicateShare", "traffic.webhooks.", 0, 1) ?? 0.1);
        }

        return new Traffic(new ErpTraffic(orders, rate), reader.Number(traffic, "readsPerSecond", "traffic.", 0, 10_000) ?? 0, webhooks,
            reader.Duration(traffic, "duration", "traffic."));
    }

    private static EstateShape ReadEstate(Reader reader, JsonElement root)
    {
        if (!root.TryGetProperty("estate", out var estate))
        {
            return new EstateShape(2, 20261204, 20_000);
        }

        reader.Unknown(estate, "estate.", ["replicas", "seed", "timeScale"]);
        return new EstateShape(reader.Int(estate, "replicas", "estate.", 1, 8) ?? 2, reader.Int(estate, "seed", "estate.", 0, int.MaxValue) ?? 20261204,
            reader.Number(estate, "timeScale", "estate.", 1, 1_000_000) ?? 20_000);
    }

    private static Settle ReadSettle(Reader reader, JsonElement root)
    {
        if (!root.TryGetProperty("settle", out var settle))
        {
            return new Settle(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(5));
        }

        reader.Unknown(settle, "settle.", ["timeout", "quiet"]);
        return new Settle(reader.Duration(settle, "timeout", "settle.") ?? TimeSpan.FromMinutes(3), reader.Duration(settle, "quiet", "settle.") ?? TimeSpan.FromSeconds(5));
    }

    private static FaultStep ReadFault(Reader reader, JsonElement fault, int index, int replicas)
    {
        var at = $"faults[{index}].";
        if (fault.ValueKind != JsonValueKind.Object)
        {
            reader.Problem($"faults[{index}]: must be an object");
            return new FaultStep(index, TimeSpan.Zero, FaultKind.Kill, "", null, TimeSpan.Zero, new FaultSettings());
        }

        reader.Unknown(fault, at, FaultProperties);
        var kindName = reader.String(fault, "kind", at, required: true);
        var kind = FaultKind.Kill;
        if (kindName is not null && !FaultKinds.TryParse(kindName, out kind))
        {
            reader.Problem($"{at}kind: '{kindName}' is not one of: {string.Join(", ", FaultKinds.Names)}");
        }

        var target = reader.String(fault, "target", at, required: true) ?? "";
        var replica = reader.Int(fault, "replica", at, 0, 63);
        var duration = reader.Duration(fault, "duration", at);
        if (duration is null && FaultKinds.NeedsDuration(kind) && kindName is not null)
        {
            reader.Problem($"{at}duration: required for {kindName} (how long the fault lasts, e.g. \"10s\")");
        }

        CheckTarget(reader, at, kind, target, replica, replicas);
        var settings = new FaultSettings
        {
            Partner = fault.TryGetProperty("faults", out var knobs) && knobs.ValueKind == JsonValueKind.Object
                ? knobs.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
                : new Dictionary<string, JsonElement>(),
            Hogs = reader.Int(fault, "hogs", at, 1, 16) ?? 2,
            SkewSeconds = reader.Int(fault, "skewSeconds", at, -86_400, 86_400) ?? 900,
            LatencyMs = reader.Int(fault, "latencyMs", at, 0, 60_000) ?? 0,
            JitterMs = reader.Int(fault, "jitterMs", at, 0, 60_000) ?? 0,
            BytesPerSecond = reader.Int(fault, "bytesPerSecond", at, 1, int.MaxValue) ?? 0,
        };
        if (kind == FaultKind.Partner && settings.Partner.Count == 0)
        {
            reader.Problem($"{at}faults: required for partner, the simulator's knobs during the window (e.g. {{\"outage\": true}})");
        }

        if (kind == FaultKind.NetBandwidth && settings.BytesPerSecond == 0)
        {
            reader.Problem($"{at}bytesPerSecond: required for net-bandwidth");
        }

        if (kind == FaultKind.NetLatency && settings.LatencyMs == 0)
        {
            reader.Problem($"{at}latencyMs: required for net-latency");
        }

        return new FaultStep(index, reader.Duration(fault, "at", at, required: true) ?? TimeSpan.Zero, kind, target, replica, duration ?? TimeSpan.Zero, settings);
    }

    private static void CheckTarget(Reader reader, string at, FaultKind kind, string target, int? replica, int replicas)
    {
        if (FaultKinds.IsNetwork(kind))
        {
            var ends = target.Split("->");
            if (ends.Length != 2 || !Resources.Contains(ends[0]) || !Resources.Contains(ends[1]))
            {
                reader.Problem($"{at}target: a network fault acts on a reference, \"service->referenced\" (e.g. \"orchestrator->postgres\"), each one of: {string.Join(", ", Resources)}");
            }

            return;
        }

        var allowed = kind switch
        {
            FaultKind.RedisFlushAll => [ResourceNames.Redis],
            FaultKind.Partner => Simulators,
            FaultKind.ClockSkew => [ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine],
            _ => Resources,
        };
        if (!allowed.Contains(target))
        {
            reader.Problem($"{at}target: '{target}' is not one of: {string.Join(", ", allowed)}");
        }

        if (replica is { } r && (target != ResourceNames.Orchestrator || r >= replicas) && target.Length > 0)
        {
            reader.Problem($"{at}replica: only the orchestrator has replicas (0…{replicas - 1} in this estate)");
        }
    }
}
