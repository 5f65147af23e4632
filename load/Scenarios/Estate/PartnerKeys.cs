using LogisticsSync.Load.Scenarios.CommandLine;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Scenarios.Estate;

/// <summary>
/// The keys the run calls the gateway with: those given on the command line, the others the estate's own
/// (generated per state folder, <see cref="PartnerCredentials"/>).
/// </summary>
internal sealed record PartnerKeys(string Release, string Read, string Operations, string Carrier, string WebhookSecret)
{
    /// <param name="estateParameter">The estate's parameter by name (<see cref="TargetEstate.ParameterAsync"/>).</param>
    public static async Task<PartnerKeys> ResolveAsync(RunSettings settings, Func<string, CancellationToken, Task<string>> estateParameter, CancellationToken cancellationToken)
    {
        var carrier = ResourceNames.CarrierPrefix + settings.Carrier;
        return new PartnerKeys(
            settings.ApiKey ?? await estateParameter(PartnerCredentials.ErpApiKey, cancellationToken),
            settings.ReadKey ?? await estateParameter(PartnerCredentials.PortalApiKey, cancellationToken),
            await estateParameter(PartnerCredentials.OperationsApiKey, cancellationToken),
            settings.CarrierKey ?? await estateParameter(PartnerCredentials.CarrierApiKey(carrier), cancellationToken),
            settings.WebhookSecret ?? await estateParameter(PartnerCredentials.CarrierWebhookSecret(carrier), cancellationToken));
    }
}
