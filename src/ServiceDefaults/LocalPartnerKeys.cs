namespace LogisticsSync.ServiceDefaults;

/// <summary>
/// The API keys of the local estate's partners, whose SHA-256 hashes are in the gateway's
/// appsettings.json. They exist so simulators, tests and people trying the estate can call the
/// gateway; they protect nothing outside this machine. A deployment configures its own hashes.
/// </summary>
public static class LocalPartnerKeys
{
    public const string Erp = "erp-local-key-7Qm2c9";
    public const string Portal = "portal-local-key-Lx4p8d";
    public const string Operations = "ops-local-key-Zr6t1b";
    public const string CarrierParcelFast = "parcelfast-local-key-Hs3k5w";
    public const string CarrierFreightLine = "freightline-local-key-Nv8y2g";

    /// <summary>The simulators' own admin API (<c>X-Admin-Key</c>): not a gateway client, it never leaves the simulator.</summary>
    public const string SimulatorAdmin = "sim-admin-local-key-Qe5r7u";

    // Webhook signing secrets (Standard Webhooks, whsec_ + base64 key): symmetric, so the gateway's
    // appsettings.json holds the same values (Gateway:Webhooks:Carriers:{id}:Secret).
    public const string CarrierParcelFastWebhookSecret = "whsec_V2y18sRV3a3VISdLzFTNgkGBmDP88acP";
    public const string CarrierFreightLineWebhookSecret = "whsec_MIl3ETEUJ57uhnlWIo6rWSkNO2FWDToG";
}
