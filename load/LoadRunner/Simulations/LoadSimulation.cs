using System.Globalization;
using System.Text.RegularExpressions;

namespace LogisticsSync.LoadRunner.Simulations;

/// <summary>
/// One stage of a scenario's load. Closed model: a number of concurrent copies, each starting its next iteration
/// when the previous one ends (the system's speed sets the rate). Open model: iterations start at a rate set in
/// advance, whatever the system does (the way real users arrive).
/// </summary>
public abstract partial record LoadSimulation
{
    public abstract TimeSpan Duration { get; }

    /// <summary>Null for <see cref="Pause"/>, which fits both models.</summary>
    public abstract LoadModel? Model { get; }

    /// <summary>Parses <c>"rate 50 for 20s; ramp-rate 100 over 10s; pause 2s"</c> (see <see cref="Syntax"/>).</summary>
    public static IReadOnlyList<LoadSimulation> ParseList(string text)
    {
        var stages = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
        if (stages.Count == 0)
        {
            throw new FormatException("no load stage given");
        }

        if (stages.Select(s => s.Model).OfType<LoadModel>().Distinct().Count() > 1)
        {
            throw new FormatException("one scenario cannot mix open-model (rate) and closed-model (copies, iterations) stages");
        }

        return stages;
    }

    public const string Syntax =
        "rate R for D | ramp-rate R over D | random-rate MIN-MAX for D | copies N for D | ramp-copies N over D | iterations I by N | pause D " +
        "(R per second, D like 500ms, 20s, 2m; stages joined with ';')";

    public static LoadSimulation Parse(string stage)
    {
        var match = StagePattern().Match(stage.Trim());
        if (!match.Success)
        {
            throw new FormatException($"cannot read load stage '{stage}'; expected {Syntax}");
        }

        var words = match.Groups["words"].Value.ToLowerInvariant();
        var numbers = match.Groups["rest"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (words, numbers) switch
        {
            ("rate", [var rate, "for", var during]) => new ConstantRate(Number(rate), ParseDuration(during)),
            ("ramp-rate", [var rate, "over", var during]) => new RampingRate(Number(rate), ParseDuration(during)),
            ("random-rate", [var range, "for", var during]) when range.Split('-') is [var min, var max] =>
                new RandomRate(Number(min), Number(max), ParseDuration(during)),
            ("copies", [var copies, "for", var during]) => new ConstantCopies(Whole(copies), ParseDuration(during)),
            ("ramp-copies", [var copies, "over", var during]) => new RampingCopies(Whole(copies), ParseDuration(during)),
            ("iterations", [var iterations, "by", var copies]) => new FixedIterations(Whole(iterations), Whole(copies)),
            ("pause", [var during]) => new Pause(ParseDuration(during)),
            _ => throw new FormatException($"cannot read load stage '{stage}'; expected {Syntax}"),
        };
    }

    public static TimeSpan ParseDuration(string text)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"cannot read duration '{text}' (say 500ms, 20s, 2m)");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    private static double Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new FormatException($"'{text}' is not a rate (a number ≥ 0)");

    private static int Whole(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a whole number > 0");

    [GeneratedRegex(@"^(?<words>[a-zA-Z-]+)\s+(?<rest>.+)$")]
    private static partial Regex StagePattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$")]
    private static partial Regex DurationPattern();
}

public enum LoadModel
{
    Open,
    Closed,
}

/// <summary>Open model: <paramref name="PerSecond"/> evenly spaced starts per second (k6 constant-arrival-rate).</summary>
public sealed record ConstantRate(double PerSecond, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;

    public override LoadModel? Model => LoadModel.Open;

    public override string ToString() => $"rate {PerSecond:0.##}/s for {During.TotalSeconds:0.###} s";
}

/// <summary>Open model: the rate moves linearly from the previous stage's rate to <paramref name="PerSecond"/> (k6 ramping-arrival-rate).</summary>
public sealed record RampingRate(double PerSecond, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;

    public override LoadModel? Model => LoadModel.Open;

    public override string ToString() => $"ramp rate to {PerSecond:0.##}/s over {During.TotalSeconds:0.###} s";
}

/// <summary>Open model: each second a rate drawn uniformly from [min, max], starts evenly spaced within it (NBomber InjectRandom).</summary>
public sealed record RandomRate(double MinPerSecond, double MaxPerSecond, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;

    public override LoadModel? Model => LoadModel.Open;

    public override string ToString() => $"random rate {MinPerSecond:0.##}–{MaxPerSecond:0.##}/s for {During.TotalSeconds:0.###} s";
}

/// <summary>Closed model: <paramref name="Copies"/> concurrent copies, each looping (k6 constant-vus, NBomber KeepConstant).</summary>
public sealed record ConstantCopies(int Copies, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;

    public override LoadModel? Model => LoadModel.Closed;

    public override string ToString() => $"{Copies} copies for {During.TotalSeconds:0.###} s";
}

/// <summary>Closed model: copies move linearly from the previous stage's number to <paramref name="Copies"/> (k6 ramping-vus).</summary>
public sealed record RampingCopies(int Copies, TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;

    public override LoadModel? Model => LoadModel.Closed;

    public override string ToString() => $"ramp to {Copies} copies over {During.TotalSeconds:0.###} s";
}

/// <summary>Closed model: <paramref name="Iterations"/> in total shared by <paramref name="Copies"/> copies (k6 shared-iterations); its duration is unknown in advance.</summary>
public sealed record FixedIterations(int Iterations, int Copies) : LoadSimulation
{
    public override TimeSpan Duration => TimeSpan.Zero;

    public override LoadModel? Model => LoadModel.Closed;

    public override string ToString() => $"{Iterations} iterations by {Copies} copies";
}

/// <summary>No load for a while; a following ramp starts from zero.</summary>
public sealed record Pause(TimeSpan During) : LoadSimulation
{
    public override TimeSpan Duration => During;

    public override LoadModel? Model => null;

    public override string ToString() => $"pause {During.TotalSeconds:0.###} s";
}
