namespace LogisticsSync.Simulators.Data;

/// <summary>A postal address; <see cref="Country"/> is ISO 3166-1 alpha-2.</summary>
internal sealed record PostalAddress(string Name, string Street, string City, string PostalCode, string Country);

internal sealed record Customer(string Id, string Name, PostalAddress Address);

internal sealed record Dimensions(int LengthCm, int WidthCm, int HeightCm)
{
    public decimal VolumeLitres => LengthCm * WidthCm * HeightCm / 1000m;
}

internal sealed record Sku(string Code, string Description, decimal WeightKg, Dimensions Dimensions);

internal sealed record Warehouse(string Code, string Name, PostalAddress Address);

/// <summary>A carrier's service level with its transit time in working days.</summary>
internal sealed record ServiceLevel(string Name, int MinTransitDays, int MaxTransitDays);

/// <summary>A carrier of the estate; <see cref="Id"/> is its webhook path and gateway client (<c>carrier-{id}</c>).</summary>
internal sealed record Carrier(string Id, string Name, IReadOnlyList<ServiceLevel> ServiceLevels);

internal sealed record OrderLine(Sku Sku, int Quantity)
{
    public decimal WeightKg => Sku.WeightKg * Quantity;
}

/// <summary>An ERP sales order ready for release: the business key is the ERP order number.</summary>
internal sealed record SalesOrder(
    int Sequence,
    string BusinessKey,
    Customer Customer,
    PostalAddress ShipTo,
    Warehouse Warehouse,
    IReadOnlyList<OrderLine> Lines,
    string ServiceLevel,
    DateTimeOffset PromisedBy);
