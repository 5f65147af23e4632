using LogisticsSync.ServiceDefaults.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace LogisticsSync.ServiceDefaults.Tests.Messaging;

public sealed class ConsumerMonitorTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private ConsumerMonitor Monitor(ushort prefetch = 2) => new("wms-released", "wms.released", prefetch, _time);

    [Fact]
    public void Starved_MessagesReadyRoomToTakeThemAndNoDeliveryPastThreshold_SaysSo()
    {
        var monitor = Monitor();
        Assert.Null(monitor.Starved(ready: 5, Threshold));

        _time.Advance(Threshold - TimeSpan.FromSeconds(1));
        Assert.Null(monitor.Starved(ready: 5, Threshold));
        _time.Advance(TimeSpan.FromSeconds(1));

        var problem = monitor.Starved(ready: 5, Threshold);
        Assert.NotNull(problem);
        Assert.Contains("5 message(s) ready in wms.released", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Starved_ADeliveryArrives_ClockStartsAgainAndStaysHealthyWhileDeliveriesFlow()
    {
        var monitor = Monitor();
        monitor.Starved(ready: 5, Threshold);
        _time.Advance(Threshold);
        Assert.NotNull(monitor.Starved(ready: 5, Threshold));

        using (monitor.Received())
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Null(monitor.Starved(ready: 4, Threshold));
        _time.Advance(Threshold - TimeSpan.FromSeconds(1));
        Assert.Null(monitor.Starved(ready: 4, Threshold));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(monitor.Starved(ready: 4, Threshold));
    }

    [Fact]
    public void Starved_EveryPrefetchSlotInHand_BusyNotStarved()
    {
        var monitor = Monitor(prefetch: 2);
        var first = monitor.Received();
        var second = monitor.Received();
        monitor.Starved(ready: 9, Threshold);
        _time.Advance(Threshold * 4);

        Assert.Null(monitor.Starved(ready: 9, Threshold));
        Assert.Equal(2, monitor.InFlight);

        // A slot frees and nothing comes to fill it: now it is starved, once the threshold has passed again.
        first.Dispose();
        Assert.Null(monitor.Starved(ready: 9, Threshold));
        _time.Advance(Threshold);
        Assert.NotNull(monitor.Starved(ready: 9, Threshold));
        second.Dispose();
    }

    [Fact]
    public void Starved_QueueEmpty_NeverStarvedAndTheClockResets()
    {
        var monitor = Monitor();
        monitor.Starved(ready: 1, Threshold);
        _time.Advance(Threshold - TimeSpan.FromSeconds(1));
        Assert.Null(monitor.Starved(ready: 0, Threshold));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(monitor.Starved(ready: 0, Threshold));

        // Work arriving after a quiet hour is not "an hour without a delivery".
        Assert.Null(monitor.Starved(ready: 1, Threshold));
    }

    [Fact]
    public void Unregistered_BeforeSubscribing_SaysNotSubscribed()
    {
        Assert.Equal("wms-released: not subscribed to wms.released yet", Monitor().Unregistered());
    }
}
