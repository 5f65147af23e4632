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
        var (apiKey, secret, format) = role switch
        {
            ResourceNames.CarrierParcelFast => (LocalPartnerKeys.CarrierParcelFast, LocalPartnerKeys.CarrierParcelFastWebhookSecret, (ICarrierWebhookFormat)new ParcelFastFormat()),
            ResourceNames.CarrierFreightLine => (LocalPartnerKeys.CarrierFreightLine, LocalPartnerKeys.CarrierFreightLineWebhookSecret, new FreightLineFormat()),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a carrier role."),
        };
        var id = CarrierId.FromResourceName(role)!.Value.Value;
        return new CarrierIdentity(
            id,
            role,
            MasterData.Carriers.Single(c => c.Id == id),
            options.ApiKey is { Length: > 0 } configuredKey ? configuredKey : apiKey,
            options.WebhookSecret is { Length: > 0 } configuredSecret ? configuredSecret : secret,
            format);
    }
}
