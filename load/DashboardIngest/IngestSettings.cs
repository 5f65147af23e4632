using System.Globalization;

namespace LogisticsSync.Load.DashboardIngest;

internal sealed record IngestSettings(int Seconds, int Concurrency, int BatchSize)
{
    public static IngestSettings Parse(string[] args)
    {
        var settings = new IngestSettings(8, 8, 200);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--seconds" => settings with { Seconds = value },
                "--concurrency" => settings with { Concurrency = value },
                "--batch" => settings with { BatchSize = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --seconds, --concurrency, --batch"),
            };
        }

        return settings;
    }
}
