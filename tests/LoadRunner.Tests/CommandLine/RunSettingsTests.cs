using LogisticsSync.Load.Scenarios.Carriers;
using LogisticsSync.Load.Scenarios.CommandLine;
using LogisticsSync.Load.Scenarios.Estate;
using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.LoadRunner.Tests.CommandLine;

public sealed class RunSettingsTests
{
    [Fact]
    public void Parse_NoArguments_BothScenariosAgainstTheLocalGateway()
    {
        var settings = RunSettings.Parse([])!;

        Assert.Equal(["release", "read"], settings.Scenarios);
        Assert.Equal(new Uri("http://127.0.0.1:5080"), settings.Url);
        Assert.False(settings.Boot);
    }

    [Fact]
    public void Parse_ScenarioLoadsAndThresholds_EachRead()
    {
        var settings = RunSettings.Parse(["release", "--boot", "--release-load", "rate 10 for 2s", "--load", "copies 2 for 1s", "--threshold", "p99 < 5ms", "--percentiles", "50,99.9"])!;

        Assert.Equal(["release"], settings.Scenarios);
        Assert.True(settings.Boot);
        Assert.Equal<LoadSimulation>([new ConstantRate(10, TimeSpan.FromSeconds(2))], settings.LoadOf("release"));
        Assert.Equal<LoadSimulation>([new ConstantCopies(2, TimeSpan.FromSeconds(1))], settings.LoadOf("read"));
        Assert.Equal("p99 < 5ms", Assert.Single(settings.Thresholds).Text);
        Assert.Equal([50, 99.9], settings.Percentiles);
    }

    [Fact]
    public async Task Parse_Webhooks_TheEstatesCarrierKeyAndSecretUnlessGiven()
    {
        // The estate's parameters, as TargetEstate.ParameterAsync answers them: each named after what it is.
        static Task<string> EstateParameter(string name, CancellationToken _) => Task.FromResult($"estate:{name}");
        var localSettings = RunSettings.Parse(["webhooks", "--carrier", "freightline", "--duplicate-share", "25%"])!;
        var otherSettings = RunSettings.Parse(["webhooks", "--carrier", "acme", "--carrier-key", "k", "--webhook-secret", "whsec_AAAA", "--api-key", "e", "--read-key", "r"])!;

        var localKeys = await PartnerKeys.ResolveAsync(localSettings, EstateParameter, CancellationToken.None);
        var otherKeys = await PartnerKeys.ResolveAsync(otherSettings, EstateParameter, CancellationToken.None);

        Assert.Equal(new CarrierWebhookSettings("freightline", "estate:carrier-freightline-api-key", "estate:carrier-freightline-webhook-secret", 0.25),
            localSettings.CarrierWebhooks(localKeys));
        Assert.Equal(("estate:erp-api-key", "estate:portal-api-key", "estate:operations-api-key"), (localKeys.Release, localKeys.Read, localKeys.Operations));
        Assert.Equal(new CarrierWebhookSettings("acme", "k", "whsec_AAAA", 0.10), otherSettings.CarrierWebhooks(otherKeys));
        Assert.Equal(("e", "r"), (otherKeys.Release, otherKeys.Read));
    }

    [Fact]
    public void Parse_Day_ReadsWhileTheErpSimulatorReleasesAtItsRate()
    {
        var plain = RunSettings.Parse(["day", "--boot"])!;
        var withStorm = RunSettings.Parse(["day", "webhooks", "--boot", "--erp-rate", "2.5"])!;

        Assert.True(plain.DayInTheLife);
        Assert.Equal(["read"], plain.Scenarios);
        Assert.Equal(10, plain.ErpOrdersPerSecond);
        Assert.True(withStorm.DayInTheLife);
        Assert.Equal(["read", "webhooks"], withStorm.Scenarios);
        Assert.Equal(2.5, withStorm.ErpOrdersPerSecond);
        Assert.False(RunSettings.Parse(["read"])!.DayInTheLife);
    }

    [Fact]
    public void Parse_DayAgainstARunningEstate_UsesItsSimulatorsAsStarted()
    {
        var discovered = RunSettings.Parse(["day", "--url", "http://127.0.0.1:5080"])!;
        var named = RunSettings.Parse(["day", "--erp", "http://127.0.0.1:7001", "--wms", "http://127.0.0.1:7002"])!;

        Assert.True(discovered.DayInTheLife);
        Assert.False(discovered.Boot);
        Assert.Null(discovered.Erp);
        Assert.Equal(new Uri("http://127.0.0.1:7001"), named.Erp);
        Assert.Equal(new Uri("http://127.0.0.1:7002"), named.Wms);
    }

    [Fact]
    public void Parse_Help_NullForTheUsage() => Assert.Null(RunSettings.Parse(["--help"]));

    [Theory]
    [InlineData("--bogus")]
    [InlineData("parcels")]
    [InlineData("--url")]
    [InlineData("--url", "ftp://x")]
    [InlineData("--boot", "--url", "http://127.0.0.1:5080")]
    [InlineData("--max-concurrency", "0")]
    [InlineData("--threshold", "p99 fast")]
    [InlineData("--load", "rate 5")]
    [InlineData("webhooks", "--carrier", "acme")]
    [InlineData("--duplicate-share", "150%")]
    [InlineData("day", "--erp-rate", "5")]
    [InlineData("day", "--boot", "--erp-rate", "0")]
    [InlineData("day", "--boot", "--erp", "http://127.0.0.1:7001")]
    [InlineData("day", "--wms", "not a url")]
    public void Parse_Mistake_FormatExceptionNamingIt(params string[] args) => Assert.Throws<FormatException>(() => RunSettings.Parse(args));
}
