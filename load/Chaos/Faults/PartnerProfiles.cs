using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>
/// The fault profile each simulator should have during the run: the one it had at the start, the runner's own base
/// (the ERP's outage lifted), and the partner faults now in their window laid over it. The whole profile is PUT
/// (<c>/admin/faults</c> replaces it), and PUT again when the simulator restarts: a restarted simulator comes back
/// with its start-up profile, which would silently undo a fault, or keep a booted ERP in its start-up outage.
/// </summary>
public sealed class PartnerProfiles(Func<string, Uri> simulator, string adminKey) : IDisposable
{
    private readonly Dictionary<string, JsonObject> _original = [];
    private readonly Dictionary<string, JsonObject> _base = [];
    private readonly Dictionary<string, List<(int Id, IReadOnlyDictionary<string, JsonElement> Knobs)>> _active = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, HttpClient> _clients = [];

    /// <summary>Reads the simulator's current profile, sets <paramref name="changes"/> as its base for the run.</summary>
    public async Task SetBaseAsync(string role, IReadOnlyDictionary<string, JsonElement> changes, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var current = await ReadAsync(role, cancellationToken);
            _original.TryAdd(role, (JsonObject)current.DeepClone());
            var profile = (JsonObject)_original[role].DeepClone();
            foreach (var (knob, value) in changes)
            {
                profile[knob] = JsonNode.Parse(value.GetRawText());
            }

            _base[role] = profile;
            await PutAsync(role, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task AddAsync(string role, int id, IReadOnlyDictionary<string, JsonElement> knobs, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_base.ContainsKey(role))
            {
                var current = await ReadAsync(role, cancellationToken);
                _original.TryAdd(role, (JsonObject)current.DeepClone());
                _base[role] = current;
            }

            (_active.TryGetValue(role, out var list) ? list : _active[role] = []).Add((id, knobs));
            await PutAsync(role, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task RemoveAsync(string role, int id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _active.GetValueOrDefault(role)?.RemoveAll(a => a.Id == id);
            await PutAsync(role, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Puts the profile back on a simulator that restarted (the sampler sees its restart count move).</summary>
    public async Task ReapplyAsync(string role, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_base.ContainsKey(role))
            {
                await PutAsync(role, cancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>At the end of a run against a running estate: every simulator gets the profile it had before.</summary>
    public async Task RestoreOriginalsAsync(CancellationToken cancellationToken)
    {
        foreach (var (role, profile) in _original)
        {
            using var response = await Client(role).PutAsJsonAsync("/admin/faults", profile, cancellationToken);
        }
    }

    /// <summary>The profile in force: base, then each active fault's knobs in the order they started.</summary>
    internal JsonObject Effective(string role)
    {
        var profile = (JsonObject)_base[role].DeepClone();
        foreach (var (_, knobs) in _active.GetValueOrDefault(role) ?? [])
        {
            foreach (var (knob, value) in knobs)
            {
                profile[knob] = JsonNode.Parse(value.GetRawText());
            }
        }

        return profile;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _lock.Dispose();
    }

    private async Task PutAsync(string role, CancellationToken cancellationToken)
    {
        using var response = await Client(role).PutAsJsonAsync("/admin/faults", Effective(role), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{role} refused the fault profile: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private async Task<JsonObject> ReadAsync(string role, CancellationToken cancellationToken) =>
        (JsonObject)(await Client(role).GetFromJsonAsync<JsonNode>("/admin/faults", cancellationToken))!;

    private HttpClient Client(string role)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(role, out var client))
            {
                client = new HttpClient { BaseAddress = simulator(role), Timeout = TimeSpan.FromSeconds(10) };
                client.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
                _clients[role] = client;
            }

            return client;
        }
    }
}
