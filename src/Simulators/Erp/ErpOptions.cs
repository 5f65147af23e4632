using System.ComponentModel.DataAnnotations;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Resilience;

namespace LogisticsSync.Simulators.Erp;

/// <summary>Options of the section <c>Simulator:Erp</c>: how fast the ERP releases orders and how it retries (<c>MaxInFlight</c>: releases awaiting an answer).</summary>
public sealed class ErpOptions : RetryingSenderOptions
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

    /// <summary>The ERP's gateway API key (scope shipments:write).</summary>
    [Required(ErrorMessage = "Simulator:Erp:ApiKey must not be empty (the AppHost gives it as Simulator__Erp__ApiKey).")]
    public string ApiKey { get; set; } = "";

    /// <summary>The gateway, by its service-discovery name (<c>services__gateway__http__0</c>).</summary>
    public Uri Gateway { get; set; } = new($"http://{ResourceNames.Gateway}");
}
