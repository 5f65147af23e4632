namespace LogisticsSync.Orchestrator.Shipments;

/// <summary>One milestone applied in a caller's transaction, and the exceptions it opened or resolved (counted once committed).</summary>
internal sealed record AppliedInTransaction(MilestoneOutcome? Outcome, ExceptionChanges Exceptions);
