using System.Globalization;

namespace LogisticsSync.Load.Scenarios.CommandLine;

/// <summary>An option's value read and checked: a mistake throws a <see cref="FormatException"/> that names the option.</summary>
internal static class OptionValue
{
    public static Uri HttpUrl(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url : throw new FormatException($"{name}: '{value}' is not an http(s) URL");

    public static int Whole(string name, string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : throw new FormatException($"{name} takes a whole number > 0");

    public static int Retries(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var retries) && retries >= 0 ? retries : throw new FormatException("--retries takes a whole number ≥ 0");

    public static IReadOnlyList<double> Percentiles(string value) =>
        [.. value.Split(',').Select(p => double.TryParse(p, CultureInfo.InvariantCulture, out var v) && v is > 0 and < 100 ? v : throw new FormatException($"--percentiles: '{p}' is not between 0 and 100"))];

    public static double WrkRate(string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out var rate) && rate > 0 ? rate : throw new FormatException("--wrk-rate takes a rate > 0");

    public static double DuplicateShare(string value) =>
        value.TrimEnd('%') is var share && double.TryParse(share, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100
            ? percent / 100
            : throw new FormatException("--duplicate-share takes a percentage from 0% to 100%");

    public static double ErpRate(string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out var erpRate) && erpRate is >= 0.01 and <= 1000
            ? erpRate
            : throw new FormatException("--erp-rate takes a rate from 0.01 to 1000 (Simulator:Erp:OrdersPerSecond's range)");
}
