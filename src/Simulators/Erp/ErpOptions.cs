using System.ComponentModel.DataAnnotations;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Simulators.Erp;

/// <summary>Options of the section <c>Simulator:Erp</c>: how fast the ERP releases orders and how it retries.</summary>
public sealed class ErpOptions
{
    public const string SectionName = "Simulator:Erp";

    /// <summary>Releases started per real second.</summary>
    [Range(0.01, 1000, ErrorMessage = "Simulator:Erp:OrdersPerSecond must be between 0.01 and 1000.")]
    public double OrdersPerSecond { get; set; } = 1;

    /// <summary>How many orders to release; 0 releases until the process stops.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Simulator:Erp:OrderCount must not be negative.")]
    public int OrderCount { get; set; }

    /// <summary>
    /// The simulated "today" promise dates count from (by its UTC date); unset: the clock at start, so a
    /// restart on the same day replays the same orders byte for byte. Set it to replay a seed on another day.
    /// </summary>
    public DateTimeOffset? Epoch { get; set; }

    /// <summary>How long one attempt may take before the ERP gives up on its response and retries.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Range(0, 20, ErrorMessage = "Simulator:Erp:MaxRetryAttempts must be between 0 and 20.")]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's back-off; it doubles per retry, with jitter drawn from the seed.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The pause before an order whose retries all failed (gateway down) is tried again, under the same key.</summary>
    public TimeSpan RetryRoundDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Releases awaiting their answer at once; the rate slows down when all are busy.</summary>
    [Range(1, 1024, ErrorMessage = "Simulator:Erp:MaxInFlight must be between 1 and 1024.")]
    public int MaxInFlight { get; set; } = 16;

    /// <summary>The ERP's gateway API key (scope shipments:write).</summary>
    [Required(ErrorMessage = "Simulator:Erp:ApiKey must not be empty.")]
    public string ApiKey { get; set; } = LocalPartnerKeys.Erp;

    /// <summary>The gateway, by its service-discovery name (<c>services__gateway__http__0</c>).</summary>
    public Uri Gateway { get; set; } = new($"http://{ResourceNames.Gateway}");
}
