using System.Diagnostics;
using System.Text;

namespace LogisticsSync.ServiceDefaults.Tracing;

/// <summary>
/// A W3C trace context (<c>traceparent</c>, <c>tracestate</c>) taken from the current activity, so work that continues
/// later or elsewhere (an outbox row, a message, a queued task, a booking) can continue the same trace. On AMQP messages
/// it travels as the CloudEvents distributed-tracing extension's <c>traceparent</c>/<c>tracestate</c> headers.
/// </summary>
public readonly record struct TraceContext(string? TraceParent, string? TraceState)
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>The current activity's context, or none when nothing is being traced.</summary>
    public static TraceContext Current => Activity.Current is { } activity ? Of(activity) : default;

    /// <summary>The activity's context (none for an activity not in W3C format, which has no traceparent).</summary>
    public static TraceContext Of(Activity activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C }
            ? new TraceContext(activity.Id, string.IsNullOrEmpty(activity.TraceStateString) ? null : activity.TraceStateString)
            : default;

    /// <summary>
    /// The parent to continue, or <c>default</c> (a new trace) when there is none or it is malformed: a bad header from a
    /// partner must never fail the message it came with.
    /// </summary>
    public ActivityContext Parent =>
        ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out var context) ? context : default;

    /// <summary>Reads the context from AMQP headers, whose strings arrive as UTF-8 bytes (or as strings in-process).</summary>
    public static TraceContext From(IDictionary<string, object?>? headers) =>
        new(Header(headers, TraceParentHeader), Header(headers, TraceStateHeader));

    /// <summary>Writes the context into AMQP headers (nothing when there is none), replacing what was there.</summary>
    public void WriteTo(IDictionary<string, object?> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (TraceParent is null)
        {
            return;
        }

        headers[TraceParentHeader] = TraceParent;
        if (TraceState is not null)
        {
            headers[TraceStateHeader] = TraceState;
        }
    }

    private static string? Header(IDictionary<string, object?>? headers, string name) =>
        headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            }
            : null;
}
