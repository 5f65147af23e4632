using System.Text.Json;
using LogisticsSync.Simulators.Data;

namespace LogisticsSync.Simulators.Erp;

/// <summary>The body of <c>POST /api/v1/shipments</c>, as the gateway's v1 contract spells it.</summary>
internal static class ReleaseCommand
{
    /// <summary>
    /// Serialised once per order: every attempt and every resend carries these exact bytes, which is what
    /// lets the orchestrator recognise them as the same request (its fingerprint is a hash of the body).
    /// </summary>
    public static byte[] Serialize(SalesOrder order) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        businessKey = order.BusinessKey,
        customer = new { id = order.Customer.Id, name = order.Customer.Name },
        shipTo = new
        {
            name = order.ShipTo.Name,
            street = order.ShipTo.Street,
            city = order.ShipTo.City,
            postalCode = order.ShipTo.PostalCode,
            country = order.ShipTo.Country,
        },
        lines = order.Lines.Select(line => new { sku = line.Sku.Code, quantity = line.Quantity, weightKg = line.Sku.WeightKg }),
        promisedBy = order.PromisedBy,
        serviceLevel = order.ServiceLevel,
    });
}
