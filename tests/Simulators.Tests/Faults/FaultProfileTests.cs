using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LogisticsSync.Simulators.Tests.Faults;

public sealed class FaultProfileTests
{
    [Fact]
    public void Validate_RatesOutsideZeroToOneAndNegativeLatency_NameEachField()
    {
        var errors = FaultProfileValidation.Validate(new FaultProfile { TimeoutRate = 1.5, ShortPickRate = -0.1, LatencyMs = -1, DuplicateRate = double.NaN, RateLimitPerSecond = -1 });

        Assert.Equal(["duplicateRate", "latencyMs", "rateLimitPerSecond", "shortPickRate", "timeoutRate"], errors.Keys.Order());
    }

    [Fact]
    public void Validate_CarrierAndWmsRatesOutsideZeroToOne_NameEachField()
    {
        var errors = FaultProfileValidation.Validate(new FaultProfile
        {
            SplitLineRate = 2, DamagedLineRate = -1, TenderRejectionRate = 1.01, DelayRate = -0.5, FailedAttemptRate = 3, StormRate = double.PositiveInfinity,
        });

        Assert.Equal(["damagedLineRate", "delayRate", "failedAttemptRate", "splitLineRate", "stormRate", "tenderRejectionRate"], errors.Keys.Order());
    }

    [Fact]
    public void Validate_SensibleProfile_HasNoErrors()
    {
        Assert.Empty(FaultProfileValidation.Validate(new FaultProfile { TimeoutRate = 0.2, DuplicateRate = 1, LatencyMs = 50, LatencyJitterMs = 20, Outage = true, ClockSkewSeconds = -900 }));
    }

    [Theory]
    [InlineData(86_401)]
    [InlineData(-86_401)]
    public void Validate_ClockSkewBeyondADay_NamesTheField(int skew)
    {
        Assert.Equal(["clockSkewSeconds"], FaultProfileValidation.Validate(new FaultProfile { ClockSkewSeconds = skew }).Keys);
    }

    [Fact]
    public void Override_ReplacesTheConfiguredProfile_ForEveryReaderOfTheMonitor()
    {
        using var services = Services(new() { ["Simulator:Faults:ShortPickRate"] = "0.1", ["Simulator:Faults:LatencyMs"] = "25" });
        var monitor = services.GetRequiredService<IOptionsMonitor<FaultProfile>>();
        Assert.Equal(0.1, monitor.CurrentValue.ShortPickRate);
        Assert.Equal(25, monitor.CurrentValue.LatencyMs);
        var changes = 0;
        using var subscription = monitor.OnChange(_ => changes++);

        services.GetRequiredService<FaultProfileOverride>().Set(new FaultProfile { ShortPickRate = 0.5, Outage = true });

        Assert.Equal(0.5, monitor.CurrentValue.ShortPickRate);
        Assert.True(monitor.CurrentValue.Outage);
        // The whole profile is replaced: a knob the new profile leaves out is off, not left from configuration.
        Assert.Equal(0, monitor.CurrentValue.LatencyMs);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void CopyTo_CopiesEveryKnob_SoAnOverrideLeavesNoneBehind()
    {
        var source = new FaultProfile();
        foreach (var property in typeof(FaultProfile).GetProperties())
        {
            property.SetValue(source, property.PropertyType switch
            {
                var t when t == typeof(int) => 7,
                var t when t == typeof(double) => 0.5,
                var t when t == typeof(bool) => true,
                var t => throw new InvalidOperationException($"A knob of type {t} needs a value here."),
            });
        }

        var target = new FaultProfile();
        source.CopyTo(target);

        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(source), System.Text.Json.JsonSerializer.Serialize(target));
    }

    [Fact]
    public void Configuration_InvalidProfile_FailsWhenTheOptionsAreRead()
    {
        using var services = Services(new() { ["Simulator:Faults:ReorderRate"] = "2" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<FaultProfile>>().CurrentValue);

        Assert.Contains("reorderRate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Happens_IsDecidedBySeedAndSubject_AtTheConfiguredRate()
    {
        var decisions = Enumerable.Range(0, 2000).Select(i => FaultInjector.Decide(9, 0.25, "wms.duplicate", $"order-{i}")).ToList();

        Assert.Equal(decisions, Enumerable.Range(0, 2000).Select(i => FaultInjector.Decide(9, 0.25, "wms.duplicate", $"order-{i}")));
        Assert.InRange(decisions.Count(d => d), 420, 580);
        Assert.DoesNotContain(true, Enumerable.Range(0, 100).Select(i => FaultInjector.Decide(9, 0, "wms.duplicate", $"order-{i}")));
        Assert.DoesNotContain(false, Enumerable.Range(0, 100).Select(i => FaultInjector.Decide(9, 1, "wms.duplicate", $"order-{i}")));
    }

    [Fact]
    public async Task WaitWhileOutage_ReturnsOnceTheOutageIsSwitchedOff()
    {
        var time = new FakeTimeProvider();
        using var services = Services(new() { ["Simulator:Faults:Outage"] = "true" });
        var faults = new FaultInjector(services.GetRequiredService<IOptionsMonitor<FaultProfile>>(), new SimulationSeed(1, true), time);

        var waiting = faults.WaitWhileOutageAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(waiting.IsCompleted);
        services.GetRequiredService<FaultProfileOverride>().Set(new FaultProfile());
        time.Advance(TimeSpan.FromSeconds(1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOptions<FaultProfile>().BindConfiguration(FaultProfile.SectionName);
        services.AddSingleton<IValidateOptions<FaultProfile>, FaultProfileValidation>();
        services.AddSingleton<FaultProfileOverride>();
        services.AddSingleton<IPostConfigureOptions<FaultProfile>>(s => s.GetRequiredService<FaultProfileOverride>());
        services.AddSingleton<IOptionsChangeTokenSource<FaultProfile>>(s => s.GetRequiredService<FaultProfileOverride>());
        return services.BuildServiceProvider();
    }
}
