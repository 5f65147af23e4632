using LogisticsSync.ServiceDefaults.Tracing;

namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>
/// A milestone for the shipment a source system's business key names, with the trace context of the message that
/// brought it: what it causes (events, partner tasks) continues that trace, also when applied in a group commit.
/// </summary>
internal sealed record KeyedMilestone(string SourceSystem, string BusinessKey, IncomingMilestone Milestone, TraceContext Trace = default);
