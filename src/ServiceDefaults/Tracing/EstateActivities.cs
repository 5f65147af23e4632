using System.Diagnostics;

namespace LogisticsSync.ServiceDefaults.Tracing;

/// <summary>
/// The spans the estate's services start themselves where no library does it for them: publishing from the outbox,
/// consuming a message, and running work that was queued earlier. Every one continues a <see cref="TraceContext"/>, so
/// one shipment's journey is one trace across processes and across time.
/// </summary>
public static class EstateActivities
{
    /// <summary>The ActivitySource name every service's tracing subscribes to.</summary>
    public const string SourceName = "LogisticsSync";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// A producer span, child of <paramref name="parent"/>, whose context goes on the message's <paramref name="headers"/>;
    /// when nothing listens (no span), <paramref name="parent"/> itself goes, so the trace still continues downstream.
    /// </summary>
    public static Activity? StartPublish(string destination, TraceContext parent, IDictionary<string, object?> headers)
    {
        var activity = Start($"publish {destination}", ActivityKind.Producer, parent);
        (activity is null ? parent : TraceContext.Of(activity)).WriteTo(headers);
        return activity;
    }

    /// <summary>
    /// A consumer span continuing the trace the message's headers carry (a new trace when they carry none or a malformed
    /// one). Its parent is the message's, not the current activity: RabbitMQ.Client's own deliver span starts a new trace.
    /// </summary>
    public static Activity? StartConsume(string queue, IDictionary<string, object?>? headers) =>
        Start($"consume {queue}", ActivityKind.Consumer, TraceContext.From(headers));

    /// <summary>A span for queued work (a partner task, a webhook) continuing the context stored when it was queued.</summary>
    public static Activity? StartContinuing(string name, TraceContext stored) =>
        Start(name, ActivityKind.Internal, stored);

    /// <summary>One span for work that continues several traces at once (a batch): linked to each, parent of none.</summary>
    public static Activity? StartLinked(string name, IEnumerable<TraceContext> contexts) =>
        Source.StartActivity(
            name,
            ActivityKind.Internal,
            parentContext: default,
            links: [.. contexts.Select(c => c.Parent).Where(c => c != default).Distinct().Select(c => new ActivityLink(c))]);

    private static Activity? Start(string name, ActivityKind kind, TraceContext parent) =>
        Source.StartActivity(name, kind, parent.Parent);
}
