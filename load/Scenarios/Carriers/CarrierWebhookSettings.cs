using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Scenarios.Carriers;

/// <summary>Which carrier storms, with its key and webhook secret.</summary>
public sealed record CarrierWebhookSettings(string CarrierId, string ApiKey, string Secret, double DuplicateShare)
{
    /// <summary>The estate's carriers, whose keys and secrets the estate generates (<see cref="PartnerCredentials"/>).</summary>
    public static readonly IReadOnlyList<string> Known =
        [.. PartnerCredentials.Carriers.Select(resource => resource[ResourceNames.CarrierPrefix.Length..])];
}
