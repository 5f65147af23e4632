using LogisticsSync.AppHost.Hosting;
using LogisticsSync.AppHost.Hosting.Model;
using LogisticsSync.AppHost.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.ApiGateway.Tests;

/// <summary>
/// The gateway in front of the orchestrator and its servers, with a version history to test against:
/// v0 retired, v1 deprecated in favour of v2 (sunset set), v2 current.
/// </summary>
public sealed class GatewayEstateFixture : IAsyncLifetime
{
    public const string Sunset = "2027-06-30T00:00:00Z";

    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", "1");
        builder.KeepOnly(ResourceNames.Gateway);
        builder.GetResource<ProjectResource>(ResourceNames.Gateway).EnvironmentCallbacks.Add(context =>
        {
            context.Variables["Gateway__Versions__v0__Status"] = "Retired";
            context.Variables["Gateway__Versions__v0__Successor"] = "v2";
            context.Variables["Gateway__Versions__v1__Status"] = "Deprecated";
            context.Variables["Gateway__Versions__v1__DeprecatedAt"] = "2026-11-01T00:00:00Z";
            context.Variables["Gateway__Versions__v1__Sunset"] = Sunset;
            context.Variables["Gateway__Versions__v1__Successor"] = "v2";
            context.Variables["Gateway__MaxRequestBodyBytes"] = "8192";
        });
        App = await builder.StartHealthyAsync();
    }

    // App is null when start-up failed: disposing must not hide that failure.
    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    public HttpClient Gateway(string? apiKey)
    {
        var client = App.CreateHttpClient(ResourceNames.Gateway);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }
}
