using System.ComponentModel.DataAnnotations;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Resilience;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>
/// Options of the section <c>Simulator:Carrier</c>: how a carrier reaches the gateway with its webhooks (retries per
/// <see cref="RetryingSenderOptions"/>; <c>MaxInFlight</c>: webhooks being sent at once, default 32).
/// </summary>
public sealed class CarrierOptions : RetryingSenderOptions
{
    public const string SectionName = "Simulator:Carrier";

    /// <summary>The gateway, by its service-discovery name (<c>services__gateway__http__0</c>).</summary>
    public Uri Gateway { get; set; } = new($"http://{ResourceNames.Gateway}");

    /// <summary>The carrier's gateway API key (<c>X-Api-Key</c>), given by the AppHost; required for a carrier.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The carrier's Standard Webhooks signing secret (<c>whsec_…</c>), given by the AppHost; required for a carrier.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>How many resends one webhook storm bursts (Simulator:Faults:StormRate).</summary>
    [Range(1, 200, ErrorMessage = "Simulator:Carrier:StormSize must be between 1 and 200.")]
    public int StormSize { get; set; } = 6;

    public CarrierOptions() => MaxInFlight = 32;
}
