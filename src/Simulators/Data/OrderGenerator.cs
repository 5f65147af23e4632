using Bogus;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Simulators.Data;

/// <summary>
/// ERP sales orders, each from its own stream keyed by its sequence number: order 17 is the same order
/// on every run with the same seed and epoch, whichever orders were generated before it.
/// </summary>
/// <param name="epoch">
/// The simulated "today" promise dates count from: taken from the <see cref="TimeProvider"/> at start
/// unless configured, because the wall clock must never leak into generated data unseen.
/// </param>
internal sealed class OrderGenerator(MasterData master, int seed, DateTimeOffset epoch)
{
    private static readonly string[] Levels = [.. ServiceLevels.All];
    private static readonly float[] ServiceLevelWeights = [0.7f, 0.2f, 0.1f];

    /// <summary>The ERP order number: the seed is part of it, so a new seed releases new orders and a replayed seed the same ones.</summary>
    public static string BusinessKey(int seed, int sequence) => $"SO-{seed:x8}-{sequence:D6}";

    public SalesOrder Generate(int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        var businessKey = BusinessKey(seed, sequence);
        var faker = new Faker { Random = new Randomizer(SeededRandom.DeriveSeed(seed, "erp.orders", businessKey)) };

        var customer = Pick(faker, master.Customers);
        // Most orders go to the customer's own address; some to one of its stores elsewhere in its country.
        var shipTo = faker.Random.Bool(0.8f)
            ? customer.Address
            : MasterData.GenerateAddress(
                MasterData.FakerFor(MasterData.LocaleOf(customer.Address.Country), seed, "erp.orders.ship-to", businessKey),
                $"{customer.Name} store {faker.Random.Int(1, 40)}",
                customer.Address.Country);
        var lines = faker.PickRandom(master.Skus, faker.Random.WeightedRandom([1, 2, 3, 4, 5], [0.45f, 0.25f, 0.15f, 0.1f, 0.05f]))
            .Select(sku => new OrderLine(sku, faker.Random.WeightedRandom([1, 2, 3, 6, 12], [0.5f, 0.2f, 0.1f, 0.12f, 0.08f])))
            .ToList();
        var serviceLevel = faker.Random.WeightedRandom(Levels, ServiceLevelWeights);
        // A day in the warehouse, then the slowest carrier's transit for the level, due by 17:00 UTC.
        var promisedBy = new DateTimeOffset(epoch.UtcDateTime.Date, TimeSpan.Zero)
            .AddDays(1 + MasterData.MaxTransitDays(serviceLevel))
            .AddHours(17);
        return new SalesOrder(sequence, businessKey, customer, shipTo, Pick(faker, master.Warehouses), lines, serviceLevel, promisedBy);
    }

    // Bogus's PickRandom has no IReadOnlyList overload: handed one, it would bind to params T[] and pick the list itself.
    private static T Pick<T>(Faker faker, IReadOnlyList<T> items) => items[faker.Random.Int(0, items.Count - 1)];
}
