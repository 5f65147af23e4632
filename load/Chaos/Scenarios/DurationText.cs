using System.Globalization;
using System.Text.RegularExpressions;

namespace LogisticsSync.Load.Chaos.Scenarios;

/// <summary>Durations as people write them in a scenario: <c>"500ms"</c>, <c>"12s"</c>, <c>"1.5m"</c>.</summary>
internal static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        value = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" => TimeSpan.FromSeconds(number),
            _ => TimeSpan.FromMinutes(number),
        };
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalSeconds < 1 ? $"{value.TotalMilliseconds:0} ms" : $"{value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<unit>ms|s|m)$")]
    private static partial Regex Pattern();
}
