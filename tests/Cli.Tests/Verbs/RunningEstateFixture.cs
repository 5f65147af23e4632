using LogisticsSync.Cli.Verbs;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Cli.Tests.Verbs;

/// <summary>A real estate of Redis and the WMS simulator (with its RabbitMQ), booted once for the CLI's tests.</summary>
public sealed class RunningEstateFixture : IAsyncLifetime
{
    private DistributedApplication? _estate;

    public string StateFolder => _estate!.Options.StateDirectory;

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>();
        builder.KeepOnly(ResourceNames.Redis, ResourceNames.Wms);
        _estate = await builder.StartHealthyAsync();
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
