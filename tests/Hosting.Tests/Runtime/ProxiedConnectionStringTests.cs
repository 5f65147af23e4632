using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Tests.Runtime;

public sealed class ProxiedConnectionStringTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Port=41234;Username=postgres;Password=p41234x;Database=logistics", "Host=127.0.0.1;Port=50001;Username=postgres;Password=p41234x;Database=logistics")]
    [InlineData("127.0.0.1:41234,password=41234", "127.0.0.1:50001,password=41234")]
    [InlineData("amqp://estate:pw41234@127.0.0.1:41234", "amqp://estate:pw41234@127.0.0.1:50001")]
    public void ProxiedConnectionString_EachFormat_OnlyThePortChanges(string original, string expected) =>
        Assert.Equal(expected, ServiceEnvironment.ProxiedConnectionString(original, "127.0.0.1", 41234, 50001));
}
