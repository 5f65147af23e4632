using Bogus;
using LogisticsSync.ServiceDefaults.Protocol;

namespace LogisticsSync.Simulators.Data;

/// <summary>
/// The estate's reference data — customers, SKUs, warehouses, carriers — generated from the seed, so
/// every simulator started with the same seed knows the same world without sharing a database.
/// </summary>
internal sealed class MasterData
{
    public const int DefaultCustomers = 60;
    public const int DefaultSkus = 150;

    /// <summary>Where customers are, weighted like a Central European shipper's book, with the Bogus locale that names them.</summary>
    private static readonly (string Country, string Locale, float Weight)[] Markets =
    [
        ("DE", "de", 0.40f), ("NL", "nl", 0.15f), ("FR", "fr", 0.15f), ("PL", "pl", 0.10f), ("AT", "de_AT", 0.10f), ("GB", "en_GB", 0.10f),
    ];

    /// <summary>The two carriers the estate runs; their ids match the carrier simulators' resources.</summary>
    public static readonly IReadOnlyList<Carrier> Carriers =
    [
        new(CarrierId.ParcelFastValue, "ParcelFast Express", [new(ServiceLevels.Express, 1, 1), new(ServiceLevels.Standard, 2, 3), new(ServiceLevels.Economy, 4, 6)]),
        new(CarrierId.FreightLineValue, "FreightLine Logistics", [new(ServiceLevels.Standard, 3, 5), new(ServiceLevels.Economy, 5, 8)]),
    ];

    private MasterData(IReadOnlyList<Customer> customers, IReadOnlyList<Sku> skus, IReadOnlyList<Warehouse> warehouses)
    {
        Customers = customers;
        Skus = skus;
        Warehouses = warehouses;
    }

    public IReadOnlyList<Customer> Customers { get; }

    public IReadOnlyList<Sku> Skus { get; }

    public IReadOnlyList<Warehouse> Warehouses { get; }

    public static MasterData Generate(int seed, int customers = DefaultCustomers, int skus = DefaultSkus) => new(
        [.. Enumerable.Range(1, customers).Select(n => GenerateCustomer(seed, n))],
        [.. Enumerable.Range(1, skus).Select(n => GenerateSku(seed, n))],
        GenerateWarehouses(seed));

    /// <summary>Longest transit a service level promises with any carrier that offers it.</summary>
    public static int MaxTransitDays(string serviceLevel) =>
        Carriers.SelectMany(c => c.ServiceLevels).Where(s => s.Name == serviceLevel).Max(s => s.MaxTransitDays);

    /// <summary>The Bogus locale that names places in a market's country.</summary>
    public static string LocaleOf(string country) => Markets.Single(m => m.Country == country).Locale;

    /// <summary>The Bogus locale of a country, or null outside the markets (a tender may name any country).</summary>
    public static string? TryLocaleOf(string country) => Markets.FirstOrDefault(m => m.Country == country).Locale;

    /// <summary>A faker in the locale of a market, on its own stream: one entity's data never shifts another's.</summary>
    internal static Faker FakerFor(string locale, int seed, string stream, string key) =>
        new(locale) { Random = new Randomizer(SeededRandom.DeriveSeed(seed, stream, key)) };

    internal static PostalAddress GenerateAddress(Faker faker, string name, string country) =>
        new(name, faker.Address.StreetAddress(), faker.Address.City(), faker.Address.ZipCode(), country);

    private static Customer GenerateCustomer(int seed, int number)
    {
        var id = $"C-{number:D4}";
        var chooser = SeededRandom.For(seed, "customers.market", id);
        var (country, locale, _) = new Faker { Random = new Randomizer(chooser.Next()) }.Random.WeightedRandom(
            Markets, [.. Markets.Select(m => m.Weight)]);
        var faker = FakerFor(locale, seed, "customers", id);
        var name = faker.Company.CompanyName();
        return new Customer(id, name, GenerateAddress(faker, name, country));
    }

    private static Sku GenerateSku(int seed, int number)
    {
        var code = $"SKU-{number:D5}";
        var faker = FakerFor("en", seed, "skus", code);
        // Most of a parcel shipper's lines are small; one in eight is bulky (furniture, appliances).
        var bulky = faker.Random.Bool(0.125f);
        var weight = bulky ? faker.Random.Decimal(8m, 45m) : faker.Random.Decimal(0.05m, 4m);
        var dimensions = bulky
            ? new Dimensions(faker.Random.Int(60, 200), faker.Random.Int(40, 90), faker.Random.Int(30, 120))
            : new Dimensions(faker.Random.Int(8, 60), faker.Random.Int(5, 40), faker.Random.Int(2, 30));
        return new Sku(code, faker.Commerce.ProductName(), Math.Round(weight, 2), dimensions);
    }

    private static List<Warehouse> GenerateWarehouses(int seed) =>
    [
        .. new[] { "HAM", "DUS", "MUC" }.Select((site, index) =>
        {
            var faker = FakerFor("de", seed, "warehouses", site);
            var name = $"LogisticsSync DC {faker.Address.City()}";
            return new Warehouse($"WH-{site}", name, GenerateAddress(faker, name, "DE"));
        }),
    ];
}
