using LogisticsSync.Hosting;
using LogisticsSync.Load.Chaos.Scenarios;

namespace LogisticsSync.Load.Chaos.Tests.Scenarios;

public sealed class ScenarioFileTests
{
    private const string Minimal = """{ "name": "n", "traffic": { "erp": { "orders": 10, "ordersPerSecond": 2 } }, "faults": [ FAULTS ] }""";

    [Theory]
    [InlineData("infra-crash")]
    [InlineData("network")]
    [InlineData("partners-bad-day")]
    [InlineData("go-live")]
    public void Load_NamedScenario_ParsesWithFaultsInTimeOrder(string name)
    {
        var scenario = ScenarioFile.Load(Path.Combine(EstateOptions.RepositoryRoot, "load", "Chaos", "scenarios", $"{name}.json"));

        Assert.Equal(name, scenario.Name);
        Assert.NotEmpty(scenario.Faults);
        Assert.Equal(scenario.Faults.OrderBy(f => f.At).Select(f => f.Index), scenario.Faults.Select(f => f.Index));
    }

    [Fact]
    public void Load_GoLive_HasAtLeastTenFaultKindsOverAThousandOrders()
    {
        var scenario = ScenarioFile.Load(Path.Combine(EstateOptions.RepositoryRoot, "load", "Chaos", "scenarios", "go-live.json"));

        Assert.True(scenario.Traffic.Erp.Orders >= 1000);
        Assert.True(scenario.Faults.Select(f => f.Kind).Distinct().Count() >= 10);
    }

    [Fact]
    public void Parse_FaultWindow_ReadsTimesTargetReplicaAndSettings()
    {
        var scenario = Parse("""{ "at": "1.5s", "kind": "cpu-starvation", "target": "orchestrator", "replica": 1, "duration": "500ms", "hogs": 3 }""");

        var fault = Assert.Single(scenario.Faults);
        Assert.Equal((TimeSpan.FromSeconds(1.5), FaultKind.CpuStarvation, "orchestrator", 1, TimeSpan.FromMilliseconds(500), 3),
            (fault.At, fault.Kind, fault.Target, fault.Replica, fault.Duration, fault.Settings.Hogs));
        Assert.Equal(TimeSpan.FromSeconds(5), scenario.TimelineLength); // 10 orders at 2/s outlast the fault
    }

    [Theory]
    [InlineData("""{ "at": "5", "kind": "kill", "target": "redis" }""", "faults[0].at: must be a duration")]
    [InlineData("""{ "at": "5s", "kind": "kil", "target": "redis" }""", "faults[0].kind: 'kil' is not one of: kill,")]
    [InlineData("""{ "at": "5s", "kind": "kill", "target": "mongodb" }""", "faults[0].target: 'mongodb' is not one of")]
    [InlineData("""{ "at": "5s", "kind": "stop", "target": "redis" }""", "faults[0].duration: required for stop")]
    [InlineData("""{ "at": "5s", "kind": "kill", "target": "redis", "duraton": "1s" }""", "faults[0].duraton: unknown property")]
    [InlineData("""{ "at": "5s", "kind": "partner", "target": "postgres", "duration": "1s", "faults": { "outage": true } }""", "faults[0].target: 'postgres' is not one of: erp,")]
    [InlineData("""{ "at": "5s", "kind": "partner", "target": "erp", "duration": "1s" }""", "faults[0].faults: required for partner")]
    [InlineData("""{ "at": "5s", "kind": "redis-flushall", "target": "postgres" }""", "faults[0].target: 'postgres' is not one of: redis")]
    [InlineData("""{ "at": "5s", "kind": "net-reset", "target": "orchestrator", "duration": "1s" }""", "\"service->referenced\"")]
    [InlineData("""{ "at": "5s", "kind": "kill", "target": "gateway", "replica": 1 }""", "faults[0].replica: only the orchestrator has replicas")]
    [InlineData("""{ "at": "5s", "kind": "clock-skew", "target": "tms", "duration": "1s" }""", "faults[0].target: 'tms' is not one of: carrier-parcelfast")]
    public void Parse_BadFault_NamesTheProblemWithItsPath(string fault, string expected)
    {
        var exception = Assert.Throws<ScenarioFileException>(() => Parse(fault));

        Assert.Contains(exception.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var exception = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Parse("""{ "traffic": { "erp": { "orders": 0 } }, "extra": 1 }""", "x.json"));

        Assert.Contains(exception.Problems, p => p.StartsWith("name: required", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("traffic.erp.orders: must be an integer from 1", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("traffic.erp.ordersPerSecond: required", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("extra: unknown property", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("faults: required", StringComparison.Ordinal));
        Assert.StartsWith("x.json: 5 problem(s)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotJson_SaysSo()
    {
        var exception = Assert.Throws<ScenarioFileException>(() => ScenarioFile.Parse("{ name: ", "x.json"));

        Assert.StartsWith("not JSON:", Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    private static ChaosScenario Parse(string fault) => ScenarioFile.Parse(Minimal.Replace("FAULTS", fault, StringComparison.Ordinal), "test.json");
}
