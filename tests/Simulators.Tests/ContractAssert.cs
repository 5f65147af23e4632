using System.Text.Json;
using System.Text.Json.Nodes;

namespace LogisticsSync.Simulators.Tests;

/// <summary>
/// Pins a partner's own DTO to the orchestrator's side of the same wire contract: a fully populated sample of either
/// side serialised, read as the other side's type and serialised again must give the same JSON. A field renamed,
/// added or dropped on either side breaks one of the two directions.
/// </summary>
internal static class ContractAssert
{
    public static void RoundTrips<TPartner, TOrchestrator>(TPartner partnerSample, TOrchestrator orchestratorSample)
    {
        RoundTripsOneWay<TPartner, TOrchestrator>(partnerSample);
        RoundTripsOneWay<TOrchestrator, TPartner>(orchestratorSample);
    }

    /// <summary>From <typeparamref name="TFrom"/> through <typeparamref name="TTo"/> and back to JSON, nothing lost or changed.</summary>
    public static void RoundTripsOneWay<TFrom, TTo>(TFrom sample)
    {
        var sent = JsonSerializer.SerializeToNode(sample, JsonSerializerOptions.Web)!;
        AssertFullyPopulated(sent, typeof(TFrom).Name);
        var read = JsonSerializer.Deserialize<TTo>(sent.ToJsonString(), JsonSerializerOptions.Web);
        var echoed = JsonSerializer.SerializeToNode(read, JsonSerializerOptions.Web)!;
        Assert.True(
            JsonNode.DeepEquals(WithoutNulls(sent), WithoutNulls(echoed)),
            $"{typeof(TFrom).Name} read as {typeof(TTo).Name} does not round-trip:\n sent   {sent.ToJsonString()}\n echoed {echoed.ToJsonString()}");
    }

    /// <summary>Every property path the JSON carries (nested objects and the first element of arrays), e.g. <c>shipTo.city</c>.</summary>
    public static IReadOnlySet<string> PropertyPaths(JsonNode node, string prefix = "")
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
                    paths.Add(path);
                    if (value is not null)
                    {
                        paths.UnionWith(PropertyPaths(value, path));
                    }
                }

                break;
            case JsonArray { Count: > 0 } array when array[0] is { } first:
                paths.UnionWith(PropertyPaths(first, prefix + "[]"));
                break;
        }

        return paths;
    }

    /// <summary>A sample with a null field would let that field drift unnoticed: samples set every field.</summary>
    private static void AssertFullyPopulated(JsonNode node, string type)
    {
        foreach (var path in PropertyPaths(node))
        {
            Assert.False(IsNull(node, path), $"The {type} sample leaves '{path}' null; set it so the contract covers it.");
        }
    }

    private static bool IsNull(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            current = part.EndsWith("[]", StringComparison.Ordinal) ? current?[part[..^2]]?[0] : current?[part];
        }

        return current is null;
    }

    private static JsonNode WithoutNulls(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is not null)
                    {
                        copy[name] = WithoutNulls(value);
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : WithoutNulls(item))]);
            default:
                return node.DeepClone();
        }
    }
}
