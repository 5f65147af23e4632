using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Tests.Shared;

/// <summary>
/// Known values for the estate's partner credentials, which an estate otherwise generates per state folder: a test
/// estate is given them as parameters (<see cref="Args"/>, <c>--erp-api-key …</c>), so a test can call as any partner.
/// </summary>
internal static class TestPartnerKeys
{
    public const string Erp = "erp-test-key-7Qm2c9";
    public const string Portal = "portal-test-key-Lx4p8d";
    public const string Operations = "ops-test-key-Zr6t1b";
    public const string CarrierParcelFast = "parcelfast-test-key-Hs3k5w";
    public const string CarrierFreightLine = "freightline-test-key-Nv8y2g";
    public const string SimulatorAdmin = "sim-admin-test-key-Qe5r7u";
    public const string CarrierParcelFastWebhookSecret = "whsec_V2y18sRV3a3VISdLzFTNgkGBmDP88acP";
    public const string CarrierFreightLineWebhookSecret = "whsec_MIl3ETEUJ57uhnlWIo6rWSkNO2FWDToG";

    /// <summary>The command-line parameters that give an estate these values.</summary>
    public static string[] Args =>
    [
        "--" + PartnerCredentials.ErpApiKey, Erp,
        "--" + PartnerCredentials.PortalApiKey, Portal,
        "--" + PartnerCredentials.OperationsApiKey, Operations,
        "--" + PartnerCredentials.SimulatorAdminKey, SimulatorAdmin,
        "--" + PartnerCredentials.CarrierApiKey(ResourceNames.CarrierParcelFast), CarrierParcelFast,
        "--" + PartnerCredentials.CarrierApiKey(ResourceNames.CarrierFreightLine), CarrierFreightLine,
        "--" + PartnerCredentials.CarrierWebhookSecret(ResourceNames.CarrierParcelFast), CarrierParcelFastWebhookSecret,
        "--" + PartnerCredentials.CarrierWebhookSecret(ResourceNames.CarrierFreightLine), CarrierFreightLineWebhookSecret,
    ];
}
