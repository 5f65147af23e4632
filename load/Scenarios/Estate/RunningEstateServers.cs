using System.Text.Json;
using LogisticsSync.Hosting.Control;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Scenarios.Estate;

/// <summary>What a running estate's control API tells about its servers and simulators (and their admin key); null where it could not.</summary>
internal sealed record RunningEstateServers(string? Postgres, string? Redis, Uri? Erp, Uri? Wms, string? SimulatorAdminKey)
{
    public static readonly RunningEstateServers Unknown = new(null, null, null, null, null);

    /// <summary>
    /// Finds a running estate's PostgreSQL and Redis connection strings and its ERP and WMS simulators, so that one
    /// command against <c>./run.sh</c>'s estate needs no copied passwords or ports: the control API (URL and token in
    /// the state folder's <c>control.json</c>) lists each resource's endpoints and names the orchestrator's pid, and the
    /// engine injected the connection strings into that process's environment (Aspire's <c>ConnectionStrings__&lt;name&gt;</c>),
    /// readable by the same user in /proc.
    /// </summary>
    public static async Task<RunningEstateServers> DiscoverAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        try
        {
            if (await ControlFile.ReadAsync(stateDirectory, cancellationToken) is not { } control)
            {
                Console.Error.WriteLine($"no running estate's control file at {ControlFile.PathIn(stateDirectory)}: its servers and simulators are unknown");
                return Unknown;
            }

            using var client = control.CreateClient(TimeSpan.FromSeconds(5));
            using var resources = JsonDocument.Parse(await client.GetStringAsync("api/resources", cancellationToken));
            var byName = resources.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.Clone());
            Uri? HttpEndpoint(string name) =>
                byName.TryGetValue(name, out var resource) && resource.GetProperty("endpoints").TryGetProperty("http", out var http)
                    ? new Uri(http.GetString()!)
                    : null;

            var environment = byName.TryGetValue(ResourceNames.Orchestrator, out var orchestrator) && FirstPid(orchestrator) is { } pid
                ? (await File.ReadAllTextAsync($"/proc/{pid}/environ", cancellationToken)).Split('\0')
                    .Select(variable => variable.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1])
                : [];
            return new RunningEstateServers(
                environment.GetValueOrDefault($"ConnectionStrings__{ResourceNames.Database}"), environment.GetValueOrDefault($"ConnectionStrings__{ResourceNames.Redis}"),
                HttpEndpoint(ResourceNames.Erp), HttpEndpoint(ResourceNames.Wms), await control.GetParameterAsync(PartnerCredentials.SimulatorAdminKey, cancellationToken));
        }
        catch (Exception exception) when (exception is ControlFileException or InvalidOperationException or HttpRequestException or IOException or JsonException or KeyNotFoundException or UnauthorizedAccessException or TaskCanceledException)
        {
            Console.Error.WriteLine($"could not read the running estate's servers from {stateDirectory}: {exception.Message}");
            return Unknown;
        }
    }

    private static int? FirstPid(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject()
            .Select(p => p.Name.Equals("pid", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Number && p.Value.GetInt32() > 0 ? p.Value.GetInt32() : FirstPid(p.Value))
            .FirstOrDefault(pid => pid is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(FirstPid).FirstOrDefault(pid => pid is not null),
        _ => null,
    };
}
