using LogisticsSync.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Simulators.Roles;

internal static class RoleExtensions
{
    /// <summary>
    /// Binds and validates <see cref="SimulatorOptions"/> at start, so a resource started without a
    /// valid role fails at once with the variable to set instead of simulating the wrong system.
    /// </summary>
    public static IHostApplicationBuilder AddSimulatorRole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapSimulatorInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sim/info", (IOptions<SimulatorOptions> options, ServiceIdentity identity) =>
            TypedResults.Ok(new SimulatorInfo(options.Value.Role, identity.Name, identity.InstanceId)));
        return endpoints;
    }
}

internal sealed record SimulatorInfo(string Role, string Service, string Instance);
