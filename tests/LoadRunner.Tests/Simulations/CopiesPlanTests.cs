using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.LoadRunner.Tests.Simulations;

public sealed class CopiesPlanTests
{
    private static readonly LoadSimulation[] Stages =
        [new RampingCopies(10, TimeSpan.FromSeconds(10)), new ConstantCopies(10, TimeSpan.FromSeconds(5)), new Pause(TimeSpan.FromSeconds(2)), new RampingCopies(4, TimeSpan.FromSeconds(4))];

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2.5, 3)]
    [InlineData(5, 5)]
    [InlineData(9.99, 10)]
    [InlineData(12, 10)]
    [InlineData(15.5, 0)]
    [InlineData(17, 0)]
    [InlineData(19, 2)]
    public void CopiesAt_RampConstantPauseRamp_LinearBetweenStages(double seconds, int expected) =>
        Assert.Equal(expected, CopiesPlan.CopiesAt(Stages, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void CopiesAt_AfterTheLastStage_Null() => Assert.Null(CopiesPlan.CopiesAt(Stages, TimeSpan.FromSeconds(21)));

    [Fact]
    public void ParseList_EveryStageKind_ReadsBack()
    {
        var stages = LoadSimulation.ParseList("rate 50 for 20s; ramp-rate 100 over 1.5m; random-rate 5-15 for 500ms; pause 2s");

        Assert.Equal<LoadSimulation>(
            [new ConstantRate(50, TimeSpan.FromSeconds(20)), new RampingRate(100, TimeSpan.FromSeconds(90)), new RandomRate(5, 15, TimeSpan.FromMilliseconds(500)), new Pause(TimeSpan.FromSeconds(2))],
            stages);
        Assert.Equal<LoadSimulation>([new ConstantCopies(8, TimeSpan.FromSeconds(10)), new RampingCopies(2, TimeSpan.FromSeconds(5)), new FixedIterations(1000, 4)],
            LoadSimulation.ParseList("copies 8 for 10s; ramp-copies 2 over 5s; iterations 1000 by 4"));
    }

    [Theory]
    [InlineData("rate 50 for 20s; copies 4 for 10s")]
    [InlineData("rate fast for 20s")]
    [InlineData("rate 50 for 20")]
    [InlineData("copies 0 for 1s")]
    [InlineData("")]
    public void ParseList_Nonsense_FormatException(string text) => Assert.Throws<FormatException>(() => LoadSimulation.ParseList(text));
}
