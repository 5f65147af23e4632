using System.Security.Cryptography;
using System.Text;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.ServiceDefaults;

/// <summary>
/// The partners' credentials as secret parameters, generated per state folder (docs/security.md, "Partner
/// credentials"): each partner is given its own key, the gateway only the keys' hashes and the webhook secrets.
/// </summary>
internal sealed class PartnerCredentialParameters
{
    private readonly Dictionary<string, ParameterResource> _apiKeys = [];
    private readonly Dictionary<string, ParameterResource> _webhookSecrets = [];

    public PartnerCredentialParameters(DistributedApplicationBuilder builder)
    {
        foreach (var (client, name) in GatewayClients)
        {
            _apiKeys[client] = builder.AddParameter(name, secret: true);
        }

        foreach (var carrier in PartnerCredentials.Carriers)
        {
            _webhookSecrets[carrier] = builder.AddParameter(PartnerCredentials.CarrierWebhookSecret(carrier), secret: true,
                generate: () => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        }

        SimulatorAdminKey = builder.AddParameter(PartnerCredentials.SimulatorAdminKey, secret: true);
    }

    public ParameterResource Operations => _apiKeys["operations"];

    public ParameterResource SimulatorAdminKey { get; }

    /// <summary>The gateway's clients (the ids its appsettings.json gives scopes and tiers) and their key parameters.</summary>
    private static IEnumerable<(string Client, string Parameter)> GatewayClients =>
    [
        ("erp", PartnerCredentials.ErpApiKey),
        ("portal", PartnerCredentials.PortalApiKey),
        ("operations", PartnerCredentials.OperationsApiKey),
        .. PartnerCredentials.Carriers.Select(carrier => (carrier, PartnerCredentials.CarrierApiKey(carrier))),
    ];

    /// <summary>The gateway checks keys against their SHA-256 and webhook signatures with the carriers' secrets.</summary>
    public IResourceBuilder<ProjectResource> ForGateway(IResourceBuilder<ProjectResource> gateway)
    {
        foreach (var (client, key) in _apiKeys)
        {
            gateway.WithEnvironment($"Gateway__Clients__{client}__KeySha256", key, Sha256Hex);
        }

        foreach (var (carrier, secret) in _webhookSecrets)
        {
            gateway.WithEnvironment($"Gateway__Webhooks__Carriers__{carrier[ResourceNames.CarrierPrefix.Length..]}__Secret", secret);
        }

        return gateway;
    }

    public IResourceBuilder<ProjectResource> ForErp(IResourceBuilder<ProjectResource> erp) =>
        erp.WithEnvironment("Simulator__Erp__ApiKey", _apiKeys["erp"]);

    public IResourceBuilder<ProjectResource> ForCarrier(IResourceBuilder<ProjectResource> carrier) =>
        carrier.WithEnvironment("Simulator__Carrier__ApiKey", _apiKeys[carrier.Resource.Name])
            .WithEnvironment("Simulator__Carrier__WebhookSecret", _webhookSecrets[carrier.Resource.Name]);

    private static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
