using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Scenarios.Carriers;

/// <summary>Which carrier storms, with its key and webhook secret.</summary>
public sealed record CarrierWebhookSettings(string CarrierId, string ApiKey, string Secret, double DuplicateShare)
{
    /// <summary>The local estate's carriers, with the keys and secrets of ServiceDefaults' LocalPartnerKeys (the gateway's appsettings.json holds the same).</summary>
    public static readonly IReadOnlyDictionary<string, (string ApiKey, string Secret)> Local = new Dictionary<string, (string, string)>
    {
        ["parcelfast"] = (LocalPartnerKeys.CarrierParcelFast, LocalPartnerKeys.CarrierParcelFastWebhookSecret),
        ["freightline"] = (LocalPartnerKeys.CarrierFreightLine, LocalPartnerKeys.CarrierFreightLineWebhookSecret),
    };
}
