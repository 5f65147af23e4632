namespace LogisticsSync.Dashboard.Telemetry;

/// <param name="Resource">A service name (every replica) or one resource id (<c>orchestrator-1</c>).</param>
/// <param name="MinSeverity">The lowest OTLP severity number shown (9 = Information, 13 = Warning, 17 = Error).</param>
/// <param name="Text">Part of the message, category or an attribute value, case-insensitive.</param>
/// <param name="Correlation">A correlation id or business key: an attribute value named so, or a trace id.</param>
/// <param name="After">Only entries newer than this sequence number (live tails poll with it).</param>
public sealed record LogQuery(string? Resource = null, int? MinSeverity = null, string? Text = null, string? Correlation = null,
    string? TraceId = null, long? After = null, int Limit = 200);

public sealed record TraceQuery(string? Resource = null, string? Correlation = null, bool ErrorsOnly = false, int Limit = 100);

/// <summary>Matching rules shared by the log and trace queries.</summary>
internal static class TelemetryMatch
{
    public static bool Resource(string? filter, string resourceId, string serviceName) =>
        string.IsNullOrEmpty(filter) || filter == resourceId || filter == serviceName;

    /// <summary>
    /// Correlation ids and business keys travel under several spellings (<c>correlation.id</c> on spans,
    /// <c>CorrelationId</c> in log scopes, <c>business_key</c> …): a key matches when, without its dots,
    /// dashes and underscores, it ends in "correlationid" or "businesskey".
    /// </summary>
    public static bool IsCorrelationKey(string key)
    {
        Span<char> letters = stackalloc char[Math.Min(key.Length, 128)];
        var length = 0;
        foreach (var c in key.AsSpan(0, letters.Length))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                letters[length++] = char.ToLowerInvariant(c);
            }
        }

        var normalized = letters[..length];
        return normalized.EndsWith("correlationid") || normalized.EndsWith("businesskey");
    }

    public static bool HasCorrelation(IReadOnlyList<TelemetryAttribute> attributes, string value)
    {
        foreach (var attribute in attributes)
        {
            if (IsCorrelationKey(attribute.Key) && string.Equals(attribute.Value, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool ContainsText(IReadOnlyList<TelemetryAttribute> attributes, string text)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Value.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
