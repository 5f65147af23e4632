namespace LogisticsSync.ServiceDefaults.Protocol;

/// <summary>
/// A carrier of the estate by its one identifier (<c>parcelfast</c>), from which its other names derive: the
/// resource and service-discovery name (<c>carrier-parcelfast</c>), the gateway client and its webhook scope
/// (<c>webhooks:carrier-parcelfast</c>) and its webhook route at the gateway (<c>/webhooks/carriers/parcelfast</c>).
/// </summary>
public readonly record struct CarrierId(string Value)
{
    public const string ParcelFastValue = "parcelfast";
    public const string FreightLineValue = "freightline";

    public static CarrierId ParcelFast { get; } = new(ParcelFastValue);

    public static CarrierId FreightLine { get; } = new(FreightLineValue);

    public static IReadOnlyList<CarrierId> All { get; } = [ParcelFast, FreightLine];

    /// <summary>The AppHost resource, service-discovery name and gateway client id: <c>carrier-{id}</c>.</summary>
    public string ResourceName => ResourceNames.CarrierPrefix + Value;

    /// <summary>The gateway scope that lets the carrier's key post its own webhooks only.</summary>
    public string WebhookScope => $"webhooks:{ResourceName}";

    public string WebhookPath => $"/webhooks/carriers/{Value}";

    /// <summary>The carrier a resource name (<c>carrier-{id}</c>) names; null when it names none.</summary>
    public static CarrierId? FromResourceName(string resourceName) =>
        resourceName.StartsWith(ResourceNames.CarrierPrefix, StringComparison.Ordinal)
            ? new CarrierId(resourceName[ResourceNames.CarrierPrefix.Length..])
            : null;

    public static bool IsKnown(string value) => All.Any(carrier => carrier.Value == value);

    public override string ToString() => Value;
}
