using System.ComponentModel.DataAnnotations;

namespace LogisticsSync.Simulators.Tms;

/// <summary>Options of the section <c>Simulator:Tms</c>: how the TMS calls the carriers' booking APIs.</summary>
public sealed class TmsOptions
{
    public const string SectionName = "Simulator:Tms";

    /// <summary>
    /// A carrier's booking API, by its service-discovery name; <c>{carrierId}</c> is replaced
    /// (<c>http://carrier-parcelfast</c> resolves through <c>services__carrier-parcelfast__http__0</c>).
    /// </summary>
    [Required(ErrorMessage = "Simulator:Tms:CarrierAddress must not be empty.")]
    public string CarrierAddress { get; set; } = "http://carrier-{carrierId}";

    /// <summary>How long one booking call may take before the TMS gives up on it.</summary>
    public TimeSpan CarrierAttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Retries after a timeout or a failed connection (safe: the booking API is idempotent per tender id). A 503 or
    /// 429 is not retried: the TMS answers <c>unavailable</c> at once and the orchestrator decides when to come back.
    /// </summary>
    [Range(0, 10, ErrorMessage = "Simulator:Tms:CarrierRetries must be between 0 and 10.")]
    public int CarrierRetries { get; set; } = 1;

    public TimeSpan CarrierRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public Uri CarrierUri(string carrierId) => new(CarrierAddress.Replace("{carrierId}", carrierId, StringComparison.Ordinal));
}
