using LogisticsSync.Tests.Shared;
using LogisticsSync.Cli.Verbs;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Cli.Tests.Verbs;

/// <summary>A real estate of Redis and the WMS simulator (with its RabbitMQ, without the orchestrator: WMS Unhealthy but running), booted once for the CLI's tests.</summary>
public sealed class RunningEstateFixture : IAsyncLifetime
{
    private DistributedApplication? _estate;

    public string StateFolder => _estate!.Options.StateDirectory;

    public async Task InitializeAsync()
    {
        var builder = await TestEstate.CreateBuilderAsync();
        builder.KeepOnly(ResourceNames.Redis, ResourceNames.Wms);
        _estate = builder.Build();
        await _estate.StartAsync();
        // Without the orchestrator's exchange the WMS stays Unhealthy (not subscribed) but serves its admin API: wait for that.
        await _estate.WaitForHealthyAsync(null, CancellationToken.None, ResourceNames.Redis, ResourceNames.RabbitMQ);
        await Eventually.UntilAsync(async () => (await RunAsync("faults", ResourceNames.Wms)).Code == 0, TimeSpan.FromSeconds(60), "the WMS admin API answers");
    }

    /// <summary>Runs <c>./estate</c> with the given words against this estate: exit code, stdout, stderr.</summary>
    public async Task<(int Code, string Output, string Error)> RunAsync(params string[] words)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VerbDispatcher.RunAsync([.. words, "--state", StateFolder], output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    public async Task DisposeAsync()
    {
        if (_estate is not null)
        {
            await _estate.DisposeAsync();
        }
    }
}
