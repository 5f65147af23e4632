using System.Net;
using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LogisticsSync.Hosting.Control;

/// <summary>
/// The AppHost's loopback HTTP surface: resource state and commands for tests, chaos runs and the
/// dashboard (bearer token or dashboard session), and whatever extensions map beside them (the dashboard
/// library maps its pages and the OTLP/HTTP receiver the services export to).
/// </summary>
internal sealed class ControlApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControlApi(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = new("http://127.0.0.1");

    public static async Task<ControlApi> StartAsync(DistributedApplication estate, int port, EstateConsole console, CancellationToken cancellationToken)
    {
        if (port != 0 && !PortAllocator.IsFree(port))
        {
            console.Info($"port {port} is taken (another estate?): the dashboard and control API take a free port instead");
            port = 0;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        var app = builder.Build();
        app.Use((context, next) => BrowserRequestGuard.InvokeAsync(context, next, estate.Access));
        var api = new ControlApi(app);
        api.MapEndpoints(estate);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Url = new Uri(address);
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void MapEndpoints(DistributedApplication estate)
    {
        var access = estate.Access;
        var control = _app.MapGroup("/api").AddEndpointFilter(async (context, next) =>
            access.IsAuthorized(context.HttpContext.Request)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong control token",
                    detail: "Send 'Authorization: Bearer <token>' (the token is in control.json in the estate's state folder), or log in at /login."));

        control.MapGet("/resources", () => Results.Ok(estate.GetSnapshots()));
        control.MapChaosLinks(estate);
        control.MapGet("/resources/{name}", (string name) => WithResource(estate, name, () => Results.Ok(estate.GetSnapshot(name))));
        control.MapGet("/resources/{name}/logs", (string name, int? tail, long? after) => WithResource(estate, name, () =>
            Results.Ok(estate.Logs.Tail(name, Math.Clamp(tail ?? 200, 1, 5_000)).Where(l => after is null || l.Sequence > after))));
        control.MapGet("/resources/{name}/environment", (string name, int? replica) => WithResource(estate, name, () =>
            estate.GetLaunchDetails(name, replica ?? 0) is { } launch
                ? Results.Ok(new { command = launch.Command, environment = SecretMasking.Environment(launch.Environment) })
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not started",
                    detail: $"'{name}' replica {replica ?? 0} is not a process or has not been started.")));
        // A token holder may read the state folder anyway; the values are here so tools need not parse secrets.json.
        control.MapGet("/parameters", () => Results.Ok(estate.Parameters.Select(p => new { name = p.Name, secret = p.Secret })));
        control.MapGet("/parameters/{name}", (string name) => estate.Parameters.Any(p => p.Name == name)
            ? Results.Ok(new { name, value = estate.GetParameterValue(name) })
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown parameter",
                detail: $"The model has no parameter '{name}'. It has: {string.Join(", ", estate.Parameters.Select(p => p.Name))}."));
        control.MapPost("/resources/{name}/commands/{command}", async (string name, string command, int? replica) =>
        {
            if (!Enum.TryParse<ResourceCommand>(command, ignoreCase: true, out var parsed) || int.TryParse(command, out _))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown command",
                    detail: $"'{command}' is not one of: {string.Join(", ", Enum.GetNames<ResourceCommand>().Select(n => n.ToLowerInvariant()))}.");
            }

            return await WithResourceAsync(estate, name, async () =>
            {
                await estate.ExecuteCommandAsync(name, parsed, replica);
                return Results.Ok(estate.GetSnapshot(name));
            });
        });

        foreach (var extension in estate.ControlApiExtensions)
        {
            extension.Map(new ControlApiRoutes(_app, control, estate, access));
        }
    }

    private static IResult WithResource(DistributedApplication estate, string name, Func<IResult> action) =>
        estate.Resources.Any(r => r.Name == name) ? action() : UnknownResource(estate, name);

    private static async Task<IResult> WithResourceAsync(DistributedApplication estate, string name, Func<Task<IResult>> action) =>
        estate.Resources.Any(r => r.Name == name) ? await action() : UnknownResource(estate, name);

    private static IResult UnknownResource(DistributedApplication estate, string name) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown resource",
            detail: $"'{name}' is not a resource of this estate. It has: {string.Join(", ", estate.Resources.Select(r => r.Name))}.");
}
