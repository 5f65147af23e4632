using LogisticsSync.Tests.Shared;

namespace LogisticsSync.Simulators.Tests;

public sealed class LogEventIdsTests
{
    [Fact]
    public void LoggerMessages_EveryEventId_IsUsedOnce()
    {
        Assert.Empty(LoggerMessageIds.Repeated(typeof(LogEventIds).Assembly));
    }

    [Fact]
    public void LoggerMessages_EveryEventId_ComesFromTheRegistry()
    {
        var registered = typeof(LogEventIds).GetFields().Select(field => (int)field.GetRawConstantValue()!).ToHashSet();

        Assert.All(LoggerMessageIds.Of(typeof(LogEventIds).Assembly), message => Assert.Contains(message.Id, registered));
    }
}
