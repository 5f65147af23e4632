using System.Text.Json;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>
/// A partner misbehaving for a window through its simulator's admin API: outage, maintenance, 429s, an error share,
/// duplicates, reorders, webhook storms, tender rejections, latency, a skewed clock — any knob of its fault profile.
/// </summary>
internal sealed class PartnerFault(PartnerProfiles partners, string role, int id, IReadOnlyDictionary<string, JsonElement> knobs) : IFaultAction
{
    public string? Measured => null;

    public static IReadOnlyDictionary<string, JsonElement> Knob(string name, int value) =>
        new Dictionary<string, JsonElement> { [name] = JsonSerializer.SerializeToElement(value) };

    public Task StartAsync(CancellationToken cancellationToken) => partners.AddAsync(role, id, knobs, cancellationToken);

    public Task EndAsync(CancellationToken cancellationToken) => partners.RemoveAsync(role, id, cancellationToken);
}
