using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Roles;
using Microsoft.Extensions.Options;

namespace LogisticsSync.Simulators.Admin;

/// <summary>
/// The simulator's admin API: read and replace its fault profile while it runs. Not behind the gateway
/// (it is the test rig's handle on a partner, not a partner API), so it checks its own key.
/// </summary>
internal static class AdminEndpoints
{
    public const string KeyHeader = ProtocolHeaders.AdminKey;

    // Strict: a misspelt knob ("shortPickRat") must be a 400, not a silently ignored no-op.
    private static readonly JsonSerializerOptions StrictJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").AddEndpointFilter(RequireAdminKeyAsync);
        admin.MapGet("/faults", (IOptionsMonitor<FaultProfile> profile) => TypedResults.Ok(profile.CurrentValue));
        admin.MapPut("/faults", ReplaceFaultsAsync);
        return endpoints;
    }

    /// <summary>Replaces the whole profile (GET, edit, PUT): a knob left out is off, never a leftover of an earlier PUT.</summary>
    private static async Task<IResult> ReplaceFaultsAsync(HttpRequest request, FaultProfileOverride overrides, IOptionsMonitor<FaultProfile> profile, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The fault profile is JSON", detail: "Send Content-Type: application/json.");
        }

        FaultProfile? replacement;
        try
        {
            replacement = await JsonSerializer.DeserializeAsync<FaultProfile>(request.Body, StrictJson, cancellationToken);
        }
        catch (JsonException exception)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a fault profile", detail: exception.Message);
        }

        if (replacement is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a fault profile", detail: "The body is empty or null.");
        }

        if (FaultProfileValidation.Validate(replacement) is { Count: > 0 } errors)
        {
            return Results.ValidationProblem(errors, title: "The fault profile is invalid");
        }

        overrides.Set(replacement);
        return TypedResults.Ok(profile.CurrentValue);
    }

    private static async ValueTask<object?> RequireAdminKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value.AdminKey;
        var presented = http.Request.Headers[KeyHeader].ToString();
        // Fixed-time comparison: how long a wrong key takes to refuse must not tell how much of it was right.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected))
            ? await next(context)
            : Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Admin key required",
                detail: $"Send the simulator's admin key in the {KeyHeader} header (Simulator:AdminKey).");
    }
}
