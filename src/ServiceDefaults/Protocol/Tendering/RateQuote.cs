namespace LogisticsSync.ServiceDefaults.Protocol.Tendering;

/// <summary>One carrier's price for a shipment, as the TMS quotes it (cheapest first).</summary>
public sealed record RateQuote(string CarrierId, string? ServiceLevel, decimal Price, string? Currency, int? TransitDays);
