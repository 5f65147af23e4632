using System.Globalization;

namespace LogisticsSync.Load.GatewayOverhead;

internal sealed record OverheadSettings(int Seconds, int WarmUpSeconds, double Rate, int Connections)
{
    public const string Usage = "usage: GatewayOverhead [--seconds 10] [--warm-up-seconds 3] [--rate 2000] [--connections 64]";

    /// <exception cref="FormatException">An unknown option or a value that is not a positive number.</exception>
    public static OverheadSettings Parse(string[] args)
    {
        var values = new Dictionary<string, double> { ["seconds"] = 10, ["warm-up-seconds"] = 3, ["rate"] = 2000, ["connections"] = 64 };
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : "";
            if (!values.ContainsKey(name))
            {
                throw new FormatException($"unknown option '{args[i]}'");
            }

            if (i + 1 >= args.Length || !double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new FormatException($"{args[i]} needs a positive number");
            }

            values[name] = value;
        }

        return new OverheadSettings((int)values["seconds"], (int)values["warm-up-seconds"], values["rate"], (int)values["connections"]);
    }
}
