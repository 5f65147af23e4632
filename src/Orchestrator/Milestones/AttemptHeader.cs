using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace LogisticsSync.Orchestrator.Milestones;

/// <summary>
/// The <c>x-attempt</c> header: how many deliveries a milestone has had before this one. Only the
/// consumer writes it (on the way to a retry queue), but anyone with publish rights can send a message
/// with one, so it is read defensively: a value that is not a whole number from 0 up (negative, beyond
/// <see cref="int.MaxValue"/>, a fraction, a table, text) is reported as malformed, never trusted.
/// </summary>
internal static class AttemptHeader
{
    public const string Name = "x-attempt";

    /// <summary>The previous deliveries, 0 without the header; null when the header is malformed.</summary>
    public static int? PreviousDeliveries(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers?.TryGetValue(Name, out var value) != true)
        {
            return 0;
        }

        long? count = value switch
        {
            byte b => b,
            sbyte sb => sb,
            short s => s,
            ushort us => us,
            int i => i,
            uint ui => ui,
            long l => l,
            byte[] text when long.TryParse(Encoding.UTF8.GetString(text), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        return count is >= 0 and <= int.MaxValue ? (int)count.Value : null;
    }

    /// <summary>A short, printable rendering of the header for a dead letter's reason.</summary>
    public static string Describe(IReadOnlyBasicProperties properties)
    {
        object? value = null;
        _ = properties.Headers?.TryGetValue(Name, out value);
        var text = value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
        return $"{value?.GetType().Name ?? "null"} '{new string([.. text.Take(32).Select(c => char.IsControl(c) ? '?' : c)])}'";
    }
}
