using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests.FullFlow;

/// <summary>A smaller whole-estate run: the same seed booted twice must give the same orders and the same outcome.</summary>
public sealed class SeededRunFixture : FullFlowEstateFixture
{
    public const int SeededOrders = 40;

    protected override int Seed => 424242;

    protected override int Orders => SeededOrders;
}

public sealed class SameSeedTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SameSeedTwice_SameOrdersAndTheSameFinalStateCounts()
    {
        // Side by side (each estate has its own ports and state folder): the runs' timings differ, their outcome must not;
        // and the test waits for one settling instead of two.
        var runs = await Task.WhenAll(RunAsync(), RunAsync());
        var (first, second) = (runs[0], runs[1]);

        Assert.Equal(SeededRunFixture.SeededOrders, first.Orders.Count);
        Assert.Equal(first.Orders, second.Orders);
        Assert.Equal(first.States.OrderBy(s => s.Key), second.States.OrderBy(s => s.Key));
    }

    /// <summary>Boots a fresh estate, lets its ERP release every order, waits until all are settled, and reads the outcome.</summary>
    private async Task<(List<(string Key, string Release)> Orders, Dictionary<string, long> States)> RunAsync()
    {
        var estate = new SeededRunFixture();
        try
        {
            await estate.InitializeAsync();
            const string keys = "SO-";
            await Eventually.UntilAsync(async () => (await estate.GetAsync(ResourceNames.Erp, "/erp/releases")).GetProperty("released").GetInt32() == SeededRunFixture.SeededOrders,
                TimeSpan.FromSeconds(90), "the ERP released its orders");
            await Eventually.UntilAsync(async () => (await estate.UnsettledAsync(keys)).Count == 0 && await estate.CarriersIdleAsync(), TimeSpan.FromSeconds(120), "every shipment settled");
            var orders = await estate.QueryAsync("SELECT business_key, release::text FROM shipments ORDER BY business_key", r => (r.GetString(0), r.GetString(1)));
            var states = await estate.StatesAsync(keys);
            output.WriteLine($"states: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value}"))}");
            return (orders, states);
        }
        finally
        {
            await estate.DisposeAsync();
        }
    }
}
