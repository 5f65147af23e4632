using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Tests.Model;

public sealed class ParameterResourceTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("parameter-tests-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Secret_NotGiven_IsGeneratedOncePerStateFolder_KeptAcrossRuns_AndInjectedAsEnvironment()
    {
        var (first, firstValue) = Run(_folder.FullName);
        var (_, nextRunValue) = Run(_folder.FullName);
        var other = Directory.CreateTempSubdirectory("parameter-tests-other-");
        try
        {
            var (_, otherValue) = Run(other.FullName);

            Assert.Equal(32, firstValue.Length);
            Assert.Equal(firstValue, nextRunValue);
            Assert.NotEqual(firstValue, otherValue);
            Assert.Equal(firstValue, first["Partner__Key"]);
            Assert.Equal(firstValue.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), first["Partner__KeyLength"]);
            Assert.Contains(firstValue, File.ReadAllText(Path.Combine(_folder.FullName, "secrets.json")), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder.FullName, "secrets.json")));
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    [Fact]
    public void Secret_WithItsOwnFormat_IsGeneratedInThatFormat()
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions { StateDirectory = _folder.FullName });
        var secret = builder.AddParameter("webhook-secret", secret: true, generate: () => "whsec_" + Convert.ToBase64String(new byte[24]));

        Assert.Equal("whsec_" + Convert.ToBase64String(new byte[24]), new EstateContext(builder.Options, new ResourceLogs()).ValueOf(secret));
    }

    [Fact]
    public async Task Given_OnTheCommandLine_WinsOverGenerationAndDefault_AndIsNotAnUnknownOption()
    {
        var options = EstateOptions.Parse(["--partner-key", "given-value", "--region", "eu"]);
        options.StateDirectory = _folder.FullName;
        var builder = new DistributedApplicationBuilder(options);
        var key = builder.AddParameter("partner-key", secret: true);
        var region = builder.AddParameter("region", defaultValue: "us");
        var tier = builder.AddParameter("tier", defaultValue: "standard");

        await using var app = builder.Build();

        Assert.Equal("given-value", app.GetParameterValue("partner-key"));
        Assert.Equal(("eu", "standard"), (app.GetParameterValue(region.Name), app.GetParameterValue(tier.Name)));
        Assert.False(File.Exists(Path.Combine(_folder.FullName, "secrets.json")) && File.ReadAllText(Path.Combine(_folder.FullName, "secrets.json")).Contains(key.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_WithoutValueOrDefault_IsAUsageErrorNamingTheOption()
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions { StateDirectory = _folder.FullName });

        var error = Assert.Throws<EstateUsageException>(() => builder.AddParameter("region"));

        Assert.Contains("--region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_ByName_SaysWhichTheModelHas()
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions { StateDirectory = _folder.FullName });
        builder.AddParameter("partner-key", secret: true);
        await using var app = builder.Build();

        var error = Assert.Throws<KeyNotFoundException>(() => app.GetParameterValue("other-key"));

        Assert.Contains("partner-key", error.Message, StringComparison.Ordinal);
    }

    private static (IReadOnlyDictionary<string, string> Environment, string Value) Run(string stateFolder)
    {
        var builder = new DistributedApplicationBuilder(new EstateOptions { StateDirectory = stateFolder });
        var key = builder.AddParameter("partner-key", secret: true);
        var partner = builder.AddProject("partner", "../Simulators/Simulators.csproj")
            .WithEnvironment("Partner__Key", key)
            .WithEnvironment("Partner__KeyLength", key, value => value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        partner.Resource.AllocatedEndpoints.Add(new Dictionary<string, AllocatedEndpoint> { ["http"] = new("http", "http", "127.0.0.1", 7001) });
        var context = new EstateContext(builder.Options, new ResourceLogs());
        return (ServiceEnvironment.For(partner.Resource, 0, context), context.ValueOf(key));
    }
}
