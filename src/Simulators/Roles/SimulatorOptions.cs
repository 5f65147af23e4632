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

    private const string RoleError =
        "Simulator:Role (environment variable Simulator__Role) must be one of: " +
        ResourceNames.Erp + ", " + ResourceNames.Wms + ", " + ResourceNames.Tms + ", " +
        ResourceNames.CarrierParcelFast + ", " + ResourceNames.CarrierFreightLine + ".";
}
