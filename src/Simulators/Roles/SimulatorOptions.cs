using System.ComponentModel.DataAnnotations;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Simulators.Roles;

/// <summary>Options of the section <c>Simulator</c> (environment: <c>Simulator__*</c>).</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>
    /// Which partner system this process plays. One project is started as several resources, so
    /// the role is also the process's resource name.
    /// </summary>
    [Required(ErrorMessage = RoleError)]
    [AllowedValues(
        ResourceNames.Erp,
        ResourceNames.Wms,
        ResourceNames.Tms,
        ResourceNames.CarrierParcelFast,
        ResourceNames.CarrierFreightLine,
        ErrorMessage = RoleError)]
    public string Role { get; set; } = "";

    /// <summary>
    /// The seed of every random stream (data, faults, timings). Unset: a fresh one per start, logged,
    /// so any run can be replayed by setting it.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>
    /// Simulated seconds per real second: 60 turns a 30-minute pick into 30 s, 3600 into half a second.
    /// Durations of warehouse and transport work are simulated; rates of traffic are real.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Simulator:TimeScale must be between 1 and 1000000 simulated seconds per real second.")]
    public double TimeScale { get; set; } = 60;

    /// <summary>The value of the <c>X-Admin-Key</c> header the admin API requires (the AppHost generates it per state folder).</summary>
    [Required(ErrorMessage = "Simulator:AdminKey must not be empty (the AppHost gives it as Simulator__AdminKey).")]
    public string AdminKey { get; set; } = "";

    private const string RoleError =
        "Simulator:Role (environment variable Simulator__Role) must be one of: " +
        ResourceNames.Erp + ", " + ResourceNames.Wms + ", " + ResourceNames.Tms + ", " +
        ResourceNames.CarrierParcelFast + ", " + ResourceNames.CarrierFreightLine + ".";
}
