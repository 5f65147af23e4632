using LogisticsSync.Hosting.Testing;
using Xunit.Abstractions;
using static LogisticsSync.AppHost.Tests.EndToEnd.OrderToPackEstateFixture;

namespace LogisticsSync.AppHost.Tests.EndToEnd;

/// <summary>
/// One shipment's journey as one trace across processes: the ERP's release through the gateway to the orchestrator,
/// its outbox publish to the WMS, the WMS's confirmations back to the orchestrator's consumer. Every outbox row of a
/// shipment stores the trace context it was written under, so all of them name the release's trace.
/// </summary>
[Collection(OrderToPackEstateCollection.Name)]
public sealed class JourneyTraceTests(OrderToPackEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task OrderToPack_EveryEventOfAShipment_ContinuesItsReleaseTrace()
    {
        await estate.OrderToPackAsync();
        var keyPrefix = $"SO-{Seed:x8}-%";

        // Packed is the last WMS milestone: wait until every shipment's packed event is in the outbox.
        await Eventually.UntilAsync(async () => (await estate.QueryAsync(
            "SELECT count(*) FROM outbox o JOIN shipments s ON s.id = o.shipment_id WHERE s.business_key LIKE $1 AND o.event_type = 'logistics.shipment.packed.v1'",
            r => r.GetInt64(0), keyPrefix))[0] == Orders, TimeSpan.FromSeconds(60), "every packed event in the outbox");
        var rows = await estate.QueryAsync(
            """
            SELECT s.business_key, o.event_type, split_part(o.traceparent, '-', 2)
            FROM outbox o JOIN shipments s ON s.id = o.shipment_id
            WHERE s.business_key LIKE $1 ORDER BY o.id
            """,
            r => (Key: r.GetString(0), Type: r.GetString(1), TraceId: r.IsDBNull(2) ? null : r.GetString(2)), keyPrefix);

        foreach (var shipment in rows.GroupBy(r => r.Key))
        {
            output.WriteLine($"{shipment.Key}: {string.Join(", ", shipment.Select(r => $"{r.Type[19..^3]}={r.TraceId?[..8]}"))}");
        }

        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.TraceId), $"{r.Key} {r.Type} has no trace context"));
        Assert.All(rows.GroupBy(r => r.Key), shipment => Assert.Single(shipment.Select(r => r.TraceId).Distinct()));
    }
}
