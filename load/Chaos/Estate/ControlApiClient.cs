using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Control;

namespace LogisticsSync.Load.Chaos.Estate;

/// <summary>One replica's state as the engine's control API reports it.</summary>
public sealed record ReplicaState(string Resource, int Replica, string State, int? Pid, int Restarts);

/// <summary>The engine's control API (<c>/api/resources</c>): resource state, and the commands a chaos run sends.</summary>
public sealed class ControlApiClient : IDisposable
{
    private readonly HttpClient _client;

    public ControlApiClient(ControlFile control)
    {
        _client = control.CreateClient(TimeSpan.FromSeconds(60));
    }

    public Uri Url => _client.BaseAddress!;

    public async Task<JsonElement> ResourcesAsync(CancellationToken cancellationToken) =>
        await _client.GetFromJsonAsync<JsonElement>("api/resources", cancellationToken);

    /// <summary>Every replica of every resource, with its state (Healthy, Unhealthy, Restarting…) and pid.</summary>
    public async Task<IReadOnlyList<ReplicaState>> ReplicasAsync(CancellationToken cancellationToken)
    {
        var resources = await ResourcesAsync(cancellationToken);
        var replicas = new List<ReplicaState>();
        foreach (var resource in resources.EnumerateArray())
        {
            var name = resource.GetProperty("name").GetString()!;
            var list = resource.TryGetProperty("replicas", out var r) ? r.EnumerateArray().ToList() : [];
            if (list.Count == 0)
            {
                // a database is a resource without a process of its own: it is as healthy as its server says
                replicas.Add(new ReplicaState(name, 0, resource.GetProperty("state").ToString(), null, 0));
                continue;
            }

            replicas.AddRange(list.Select(replica => new ReplicaState(name, replica.GetProperty("replica").GetInt32(), replica.GetProperty("state").ToString(),
                replica.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt32() : null, replica.GetProperty("restarts").GetInt32())));
        }

        return replicas;
    }

    /// <summary><c>POST /api/resources/{name}/commands/{command}?replica=i</c>: kill, stop, start or restart.</summary>
    public async Task CommandAsync(string resource, string command, int? replica, CancellationToken cancellationToken)
    {
        var path = $"api/resources/{Uri.EscapeDataString(resource)}/commands/{command}{(replica is { } r ? $"?replica={r}" : "")}";
        using var response = await _client.PostAsync(path, content: null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{command} {resource}: the control API answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Any other control API call (the fault proxy's), as JSON.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        return await _client.SendAsync(request, cancellationToken);
    }

    public void Dispose() => _client.Dispose();
}
