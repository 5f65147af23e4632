using System.Net.Http.Headers;
using System.Text.Json;

namespace LogisticsSync.Load.Scenarios.Estate;

/// <summary>
/// Finds a running estate's PostgreSQL and Redis connection strings for the baselines, so that one command against
/// <c>./run.sh</c>'s estate needs no copied passwords: the control API (URL and token in the state folder's
/// <c>control.json</c>) names the orchestrator's pid, and the engine injected the connection strings into that
/// process's environment (Aspire's <c>ConnectionStrings__&lt;name&gt;</c>), readable by the same user in /proc.
/// </summary>
internal static class RunningEstateServers
{
    public static async Task<(string? Postgres, string? Redis)> DiscoverAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var controlFile = Path.Combine(stateDirectory, "control.json");
        if (!File.Exists(controlFile))
        {
            return (null, null);
        }

        try
        {
            using var control = JsonDocument.Parse(await File.ReadAllTextAsync(controlFile, cancellationToken));
            using var client = new HttpClient { BaseAddress = new Uri(control.RootElement.GetProperty("url").GetString()!), Timeout = TimeSpan.FromSeconds(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", control.RootElement.GetProperty("token").GetString());
            using var orchestrator = JsonDocument.Parse(await client.GetStringAsync("api/resources/orchestrator", cancellationToken));
            if (FirstPid(orchestrator.RootElement) is not { } pid)
            {
                return (null, null);
            }

            var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ", cancellationToken)).Split('\0')
                .Select(variable => variable.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
            return (environment.GetValueOrDefault("ConnectionStrings__logistics"), environment.GetValueOrDefault("ConnectionStrings__redis"));
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException or KeyNotFoundException or UnauthorizedAccessException or TaskCanceledException)
        {
            Console.Error.WriteLine($"could not read the running estate's servers from {stateDirectory}: {exception.Message}");
            return (null, null);
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
