using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Tests.Runtime;

public sealed class PortAllocatorTests
{
    [Fact]
    public void Next_HandsOutDistinctFreePortsBelowTheEphemeralRange()
    {
        var firstEphemeral = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var allocator = new PortAllocator();

        var ports = Enumerable.Range(0, 50).Select(_ => allocator.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        // Outgoing connections take their source ports from the ephemeral range: a server's port must not race them.
        Assert.All(ports, port => Assert.InRange(port, 10_000, firstEphemeral - 1));
        Assert.All(ports, port => Assert.True(PortAllocator.IsFree(port)));
    }
}
