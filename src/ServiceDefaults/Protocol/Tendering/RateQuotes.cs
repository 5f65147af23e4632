namespace LogisticsSync.ServiceDefaults.Protocol.Tendering;

/// <summary>The TMS's answer to <c>GET /tms/api/rates</c>.</summary>
public sealed record RateQuotes(string? BusinessKey, IReadOnlyList<RateQuote>? Quotes);
