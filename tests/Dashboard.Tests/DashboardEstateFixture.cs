using System.Net.Http.Headers;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Dashboard.Tests;

/// <summary>
/// The gateway and everything it needs (orchestrator, PostgreSQL, Redis, RabbitMQ), booted once for the
/// dashboard's end-to-end and browser tests: enough for a trace that crosses two services.
/// </summary>
public sealed class DashboardEstateFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", "1");
        builder.KeepOnly(ResourceNames.Gateway, ResourceNames.Orchestrator);
        App = await builder.StartHealthyAsync();
    }

    public async Task DisposeAsync() => await (App?.DisposeAsync() ?? ValueTask.CompletedTask);

    /// <summary>A client of the dashboard's API with the control token, as a script would call it.</summary>
    public HttpClient CreateDashboardClient() => new()
    {
        BaseAddress = App.DashboardUrl,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", App.ControlToken) },
    };
}

[CollectionDefinition(Name)]
public sealed class DashboardEstateCollection : ICollectionFixture<DashboardEstateFixture>
{
    public const string Name = "dashboard estate";
}
