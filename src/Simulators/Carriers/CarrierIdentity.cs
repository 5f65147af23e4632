using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>
/// Which carrier this process plays: its id (the webhook path and <c>carrierId</c>), its master data, its tracking
/// number scheme and its own webhook format, with the gateway key and signing secret it uses.
/// </summary>
internal sealed record CarrierIdentity(string Id, string Role, Carrier Carrier, string ApiKey, string WebhookSecret, ICarrierWebhookFormat Format)
{
    public static CarrierIdentity For(string role, CarrierOptions options)
    {
        ICarrierWebhookFormat format = role switch
        {
            ResourceNames.CarrierParcelFast => new ParcelFastFormat(),
            ResourceNames.CarrierFreightLine => new FreightLineFormat(),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a carrier role."),
        };
        var id = CarrierId.FromResourceName(role)!.Value.Value;
        return new CarrierIdentity(
            id,
            role,
            MasterData.Carriers.Single(c => c.Id == id),
            Required(options.ApiKey, "ApiKey"),
            Required(options.WebhookSecret, "WebhookSecret"),
            format);
    }

    // Generated per state folder by the AppHost: a carrier without them could only send webhooks the gateway refuses.
    private static string Required(string value, string name) => value is { Length: > 0 }
        ? value
        : throw new InvalidOperationException($"Simulator:Carrier:{name} must not be empty (the AppHost gives it as Simulator__Carrier__{name}).");
}
