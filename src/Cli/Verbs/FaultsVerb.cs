using System.Globalization;
using System.Text.Json.Nodes;
using LogisticsSync.Cli.Arguments;
using LogisticsSync.Cli.Estate;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Cli.Verbs;

/// <summary>
/// A simulator's fault profile through its admin API (<c>GET/PUT /admin/faults</c>, <c>X-Admin-Key</c>). The PUT replaces
/// the whole profile, so <c>set</c> reads it, changes the named knobs and sends it back; <c>reset</c> sends an empty
/// profile (every knob off), not the profile the simulator started with, which the admin API does not expose.
/// </summary>
public sealed class FaultsVerb(EstateClient estate, CliArguments args, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (args.Operands.Count == 0)
        {
            throw new UsageException("'faults' needs a simulator name.");
        }

        var action = args.Operands.Count > 1 ? args.Operands[1] : "get";
        using var admin = await AdminClientAsync(args.Operands[0], cancellationToken);
        JsonNode profile = action switch
        {
            "get" when args.Operands.Count == 2 || args.Operands.Count == 1 => await EstateClient.SendAsync(admin, HttpMethod.Get, "admin/faults", null, cancellationToken),
            "set" when args.Operands.Count > 2 => await SetAsync(admin, args.Operands.Skip(2), cancellationToken),
            "reset" when args.Operands.Count == 2 => await EstateClient.SendAsync(admin, HttpMethod.Put, "admin/faults", new JsonObject(), cancellationToken),
            _ => throw new UsageException($"'{string.Join(' ', args.Operands.Skip(1))}' is not get, set knob=value ... or reset."),
        };
        if (args.Json)
        {
            output.WriteLine(profile.ToJsonString());
        }
        else
        {
            foreach (var (knob, value) in profile as JsonObject ?? [])
            {
                output.WriteLine($"{knob,-28}{value?.ToJsonString()}");
            }
        }

        return 0;
    }

    /// <summary>Parses <c>knob=value</c>: true/false, numbers and JSON objects/arrays as such, anything else as text.</summary>
    public static KeyValuePair<string, JsonNode?> ParseKnob(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"'{assignment}' is not knob=value.");
        }

        var value = assignment[(equals + 1)..];
        JsonNode? node = value switch
        {
            "true" or "false" => JsonValue.Create(value == "true"),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) =>
                number == Math.Floor(number) && !value.Contains('.', StringComparison.Ordinal) ? JsonValue.Create((long)number) : JsonValue.Create(number),
            _ when value.StartsWith('{') || value.StartsWith('[') => JsonNode.Parse(value),
            _ => JsonValue.Create(value),
        };
        return new(assignment[..equals], node);
    }

    private static async Task<JsonNode> SetAsync(HttpClient admin, IEnumerable<string> assignments, CancellationToken cancellationToken)
    {
        var profile = (JsonObject)await EstateClient.SendAsync(admin, HttpMethod.Get, "admin/faults", null, cancellationToken);
        foreach (var (knob, value) in assignments.Select(ParseKnob))
        {
            // The profile's own spelling wins (latencyMs for LatencyMs); an unknown knob goes as given and the simulator refuses it.
            var existing = profile.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, knob, StringComparison.OrdinalIgnoreCase));
            profile[existing ?? knob] = value;
        }

        return await EstateClient.SendAsync(admin, HttpMethod.Put, "admin/faults", profile, cancellationToken);
    }

    private async Task<HttpClient> AdminClientAsync(string simulator, CancellationToken cancellationToken)
    {
        var resource = await estate.GetAsync($"api/resources/{Uri.EscapeDataString(simulator)}", cancellationToken);
        if (resource["endpoints"]?["http"]?.ToString() is not { } url || !IsSimulator(simulator))
        {
            throw new EstateException(EstateException.Usage, $"'{simulator}' is not a simulator: one of {ResourceNames.Erp}, {ResourceNames.Wms}, {ResourceNames.Tms}, {ResourceNames.CarrierPrefix}*.");
        }

        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-Admin-Key", await estate.ParameterAsync(PartnerCredentials.SimulatorAdminKey, cancellationToken));
        return client;
    }

    private static bool IsSimulator(string name) =>
        name is ResourceNames.Erp or ResourceNames.Wms or ResourceNames.Tms || name.StartsWith(ResourceNames.CarrierPrefix, StringComparison.Ordinal);
}
