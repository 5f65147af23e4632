using System.Diagnostics.Metrics;
using LogisticsSync.Simulators.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LogisticsSync.Simulators.Tests.Telemetry;

public sealed class SimulatorMetricsTests
{
    [Fact]
    public void Counters_AreRecordedOnTheSimulatorsMeter_WithTheirTags()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<SimulatorMetrics>().BuildServiceProvider();
        var metrics = services.GetRequiredService<SimulatorMetrics>();
        var measurements = new List<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SimulatorMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        metrics.OrderReleased();
        metrics.TenderAnswered("parcelfast", "unavailable", replayed: false);
        metrics.Booking("rejected");
        metrics.WebhookSent("storm");
        metrics.WebhookPending(1);
        metrics.WebhookPending(-1);
        metrics.FaultInjected("split-line", 3);
        metrics.FaultInjected("damaged-line", 0);

        Assert.Equal(
            ["simulator.orders.released", "simulator.tenders.answered", "simulator.bookings", "simulator.webhooks.sent", "simulator.webhooks.pending", "simulator.webhooks.pending", "simulator.faults.injected"],
            measurements.Select(m => m.Instrument));
        Assert.Equal(("parcelfast", "unavailable", false), ((string)measurements[1].Tags["carrier"]!, (string)measurements[1].Tags["outcome"]!, (bool)measurements[1].Tags["replayed"]!));
        Assert.Equal("storm", measurements[3].Tags["kind"]);
        Assert.Equal(0, measurements.Where(m => m.Instrument == "simulator.webhooks.pending").Sum(m => m.Value));
        Assert.Equal((3, "split-line"), (measurements[^1].Value, (string)measurements[^1].Tags["fault"]!));
    }
}
