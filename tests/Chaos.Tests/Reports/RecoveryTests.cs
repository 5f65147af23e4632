using LogisticsSync.Load.Chaos.Faults;
using LogisticsSync.Load.Chaos.Monitoring;
using LogisticsSync.Load.Chaos.Reports;
using LogisticsSync.Load.Chaos.Scenarios;

namespace LogisticsSync.Load.Chaos.Tests.Reports;

public sealed class RecoveryTests
{
    private static readonly FaultRecord Stop = new(
        new FaultStep(0, TimeSpan.FromSeconds(10), FaultKind.Stop, "rabbitmq", null, TimeSpan.FromSeconds(5), new FaultSettings()), 10, 15, null, null);

    [Fact]
    public void Of_HealthTurnsThenComesBack_DetectRecoverAndDrainCountFromTheWindow()
    {
        var samples = new List<Sample>
        {
            At(9, healthy: true, backlog: 2),
            At(10, healthy: true, backlog: 3),
            At(12, healthy: false, backlog: 40),
            At(15, healthy: false, backlog: 90),
            At(18, healthy: true, backlog: 30),
            At(21, healthy: true, backlog: 2),
        };

        var recovery = Recovery.Of(Stop, samples);

        Assert.Equal((2.0, 3.0, 6.0), (recovery.Detect!.Value, recovery.Recover!.Value, recovery.Drain!.Value));
        Assert.Equal("orchestrator#0 Unhealthy", recovery.DetectedBy);
    }

    [Fact]
    public void Of_NeverUnhealthyAndBacklogNeverBack_NotDetectedNotDrained()
    {
        var samples = new List<Sample> { At(9, true, 0), At(12, true, 50), At(15, true, 50), At(40, true, 20) };

        var recovery = Recovery.Of(Stop, samples);

        Assert.Null(recovery.Detect);
        Assert.Equal(0, recovery.Recover);
        Assert.Null(recovery.Drain);
    }

    private static Sample At(double second, bool healthy, long backlog) => new(second,
        new Dictionary<string, string> { ["orchestrator#0"] = healthy ? "Healthy" : "Unhealthy", ["rabbitmq"] = "Healthy" }, backlog, 0, 0, 0, 0, 0);
}
