using System.Globalization;
using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Wms;

/// <summary>
/// The order lines of a released shipment, as the WMS's copy of the order has them. The released event names only the
/// business key; the ERP's orders come from the same seed and master data, so the WMS regenerates this seed's orders
/// line for line, and gives any other order (one a test released by hand) lines drawn from its key.
/// </summary>
internal static class WarehouseOrders
{
    public static IReadOnlyList<OrderLine> LinesOf(MasterData master, int seed, string businessKey)
    {
        var prefix = OrderGenerator.BusinessKey(seed, 1)[..^6];
        if (businessKey.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(businessKey.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0)
        {
            // Lines do not depend on the epoch (only promise dates do).
            return new OrderGenerator(master, seed, DateTimeOffset.UnixEpoch).Generate(sequence).Lines;
        }

        var random = SeededRandom.For(seed, "wms.other-orders", businessKey);
        return [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => new OrderLine(master.Skus[random.Next(master.Skus.Count)], random.Next(1, 5)))];
    }
}
