using System.Text.Json;

namespace LogisticsSync.Load.Chaos.Scenarios;

/// <summary>Typed reads of a scenario's JSON that note a problem (with its path) instead of throwing at the first one.</summary>
internal sealed class Reader(List<string> problems)
{
    public void Problem(string problem) => problems.Add(problem);

    /// <summary>A misspelt property ("duraton") must be an error, not a silently ignored setting.</summary>
    public void Unknown(JsonElement element, string at, HashSet<string> known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{at.TrimEnd('.')}: must be an object");
            return;
        }

        foreach (var property in element.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            problems.Add($"{at}{property.Name}: unknown property (known: {string.Join(", ", known.Where(k => k != "$schema"))})");
        }
    }

    public string? String(JsonElement element, string name, string at = "", bool required = false)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Missing(at, name, required, "a string");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }

        problems.Add($"{at}{name}: must be a non-empty string");
        return null;
    }

    public int? Int(JsonElement element, string name, string at, int min, int max, bool required = false)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Missing(at, name, required, "an integer");
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }

        problems.Add($"{at}{name}: must be an integer from {min} to {max}, not {value.GetRawText()}");
        return null;
    }

    public double? Number(JsonElement element, string name, string at, double min, double max, bool required = false)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Missing(at, name, required, "a number");
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number && number >= min && number <= max)
        {
            return number;
        }

        problems.Add($"{at}{name}: must be a number from {min} to {max}, not {value.GetRawText()}");
        return null;
    }

    public TimeSpan? Duration(JsonElement element, string name, string at, bool required = false)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            Missing(at, name, required, "a duration");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && DurationText.TryParse(value.GetString()!, out var duration))
        {
            return duration;
        }

        problems.Add($"{at}{name}: must be a duration such as \"500ms\", \"10s\" or \"1.5m\", not {value.GetRawText()}");
        return null;
    }

    private void Missing(string at, string name, bool required, string what)
    {
        if (required)
        {
            problems.Add($"{at}{name}: required, {what}");
        }
    }
}
