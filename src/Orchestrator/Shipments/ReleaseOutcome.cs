namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>What a release command found: a new shipment, or the one its business key already names.</summary>
internal sealed record ReleaseOutcome(Shipment Shipment, bool Created, bool SameRequest);
