namespace LogisticsSync.ServiceDefaults.Protocol;

/// <summary>The service levels a release may ask for and carriers quote.</summary>
public static class ServiceLevels
{
    public const string Express = "express";
    public const string Standard = "standard";
    public const string Economy = "economy";

    /// <summary>In this order (seeded simulators draw from it: the same seed must give the same orders).</summary>
    public static readonly IReadOnlyList<string> All = [Standard, Express, Economy];
}
