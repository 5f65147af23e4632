namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>A milestone for the shipment a source system's business key names.</summary>
internal sealed record KeyedMilestone(string SourceSystem, string BusinessKey, IncomingMilestone Milestone);
