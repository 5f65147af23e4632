namespace LogisticsSync.Orchestrator;

/// <summary>
/// Every <c>[LoggerMessage]</c> event id of the orchestrator, in one place: a block per feature, so a log query by id
/// finds one kind of event. A new log message takes the next free id of its feature here; <c>LogEventIdsTests</c> fails on a repeat.
/// </summary>
internal static class LogEventIds
{
    // Data
    public const int MigrationRunnerApplied = 1001;

    // Idempotency
    public const int IdempotentCommandsRedisUnavailable = 2001;

    // Outbox
    public const int OutboxDispatcherDispatchFailed = 3001;

    // Milestones
    public const int MilestoneConsumerRetry = 5001;
    public const int MilestoneConsumerDeadLettered = 5002;
    public const int MilestoneConsumerForwardFailed = 5003;
    public const int MilestoneConsumerBatchSplit = 5004;
    public const int MilestoneConsumerSubscribeFailed = 5005;

    // CarrierWebhooks
    public const int CarrierAdapterRejected = 5101;
    public const int CarrierAdapterProcessingFailed = 5102;

    // Work
    public const int PartnerTaskWorkerClaimFailed = 6001;
    public const int PartnerTaskWorkerUnknownKind = 6002;
    public const int PartnerTaskWorkerLeaseLost = 6003;
    public const int PartnerTaskWorkerTaskFailed = 6004;
    public const int PartnerTaskWorkerRenewFailed = 6005;
    public const int PartnerTaskWorkerLeftoversReleased = 6006;

    // Retention
    public const int RetentionSweeperSwept = 6501;
    public const int RetentionSweeperSweepFailed = 6502;

    // Tendering
    public const int TenderHandlerBooked = 7001;
    public const int TenderHandlerDeferred = 7002;

    // Exceptions
    public const int ExceptionStoreEscalated = 8001;
    public const int ExceptionStoreEscalationFailed = 8002;

    // Timers
    public const int ShipmentTimerWorkerBreach = 8501;
    public const int ShipmentTimerWorkerFiringFailed = 8502;

    // DeliverToCash
    public const int PostingHandlersPosted = 9001;
    public const int PostingHandlersBuffered = 9002;
    public const int PostingHandlersWaiting = 9003;

    // Reconciliation
    public const int ReconciliationPartnerUnavailable = 9501;
    public const int ReconciliationRunCompleted = 9502;
    public const int ReconciliationRunFailed = 9503;
    public const int ReconciliationRunSkipped = 9504;
}
