namespace LogisticsSync.ServiceDefaults;

/// <summary>
/// The names of the estate's partner credentials: API keys of the gateway's clients, the carriers' webhook signing
/// secrets and the simulators' admin key. The AppHost declares each as a secret parameter, generated per state
/// folder (<c>.estate/secrets.json</c>) unless given as <c>--name value</c>; tools read them from the control API
/// (<c>GET /api/parameters/{name}</c>, <c>./estate keys</c>). The gateway is given only the keys' SHA-256 hashes.
/// </summary>
public static class PartnerCredentials
{
    public const string ErpApiKey = "erp-api-key";
    public const string PortalApiKey = "portal-api-key";
    public const string OperationsApiKey = "operations-api-key";
    public const string SimulatorAdminKey = "simulator-admin-key";

    /// <summary>The gateway client id of a carrier (its resource name): <c>carrier-parcelfast</c>.</summary>
    public static string CarrierApiKey(string carrierResource) => $"{carrierResource}-api-key";

    /// <summary>A carrier's Standard Webhooks secret (<c>whsec_</c> + base64), which the gateway holds too.</summary>
    public static string CarrierWebhookSecret(string carrierResource) => $"{carrierResource}-webhook-secret";

    public static readonly string[] Carriers = [ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine];

    /// <summary>Every credential's parameter name.</summary>
    public static IEnumerable<string> All =>
    [
        ErpApiKey, PortalApiKey, OperationsApiKey, SimulatorAdminKey,
        .. Carriers.SelectMany(carrier => new[] { CarrierApiKey(carrier), CarrierWebhookSecret(carrier) }),
    ];
}
