using System.Globalization;

namespace LogisticsSync.Load.GatewayOverhead;

/// <param name="Rounds">Interleaved rounds: each measures every path once, flat out and at the fixed rate.</param>
/// <param name="Seconds">Length of one path's flat-out (wrk) run in a round.</param>
/// <param name="OpenSeconds">Length of one path's open-model run in a round (after a one-second warm-up).</param>
/// <param name="WarmUpSeconds">Unmeasured wrk load on every path before the first round, so the JIT has tiered up everywhere.</param>
internal sealed record OverheadSettings(
    int Rounds, int Seconds, int OpenSeconds, int WarmUpSeconds, double Rate, int Connections, IReadOnlyDictionary<string, string> GatewayEnvironment)
{
    public const string Usage =
        "usage: GatewayOverhead [--rounds 4] [--seconds 4] [--open-seconds 3] [--warm-up-seconds 20] [--rate 2000] [--connections 16] [--gateway-env NAME=VALUE]…";

    /// <exception cref="FormatException">An unknown option or a value that is not a positive number.</exception>
    public static OverheadSettings Parse(string[] args)
    {
        var values = new Dictionary<string, double>
        {
            ["rounds"] = 4, ["seconds"] = 4, ["open-seconds"] = 3, ["warm-up-seconds"] = 20, ["rate"] = 2000, ["connections"] = 16,
        };
        var environment = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--gateway-env")
            {
                environment.Add(
                    i + 1 < args.Length && args[i + 1].Split('=', 2) is [{ Length: > 0 } name, var value] ? name : throw new FormatException("--gateway-env needs NAME=VALUE"),
                    args[i + 1].Split('=', 2)[1]);
                continue;
            }

            var option = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
            if (!values.ContainsKey(option))
            {
                throw new FormatException($"unknown option '{args[i]}'");
            }

            if (i + 1 >= args.Length || !double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                throw new FormatException($"{args[i]} needs a positive number");
            }

            values[option] = number;
        }

        return new OverheadSettings((int)values["rounds"], (int)values["seconds"], (int)values["open-seconds"], (int)values["warm-up-seconds"],
            values["rate"], (int)values["connections"], environment);
    }
}
