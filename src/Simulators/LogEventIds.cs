namespace LogisticsSync.Simulators;

/// <summary>
/// Every <c>[LoggerMessage]</c> event id of the simulators, in one place: a block per feature, so a log query by id
/// finds one kind of event. A new log message takes the next free id of its feature here; <c>LogEventIdsTests</c> fails on a repeat.
/// </summary>
internal static class LogEventIds
{
    // Extensions
    public const int SimulatorExtensionsSeed = 1001;

    // Erp
    public const int OrderReleaserStarting = 3001;
    public const int OrderReleaserFinished = 3002;
    public const int OrderReleaserRoundFailed = 3003;
    public const int OrderReleaserRejected = 3004;
    public const int OrderReleaserFailed = 3005;
    public const int GatewayReleaseClientResponseLost = 3101;
    public const int ReleasePipelineRetry = 3102;

    // Wms
    public const int WarehouseFloorPlanned = 4001;
    public const int ReleasedShipmentConsumerSubscribed = 4101;
    public const int ReleasedShipmentConsumerWaitingForTopology = 4102;
    public const int ReleasedShipmentConsumerUnreadable = 4103;
    public const int ReleasedShipmentConsumerFulfilmentFailed = 4104;
    public const int ReleasedShipmentConsumerResubscribing = 4105;
    public const int ReleasedShipmentConsumerSubscribeFailed = 4106;

    // Tms
    public const int TenderDeskAnswered = 5001;
    public const int CarrierBookingClientCarrierUnreachable = 5101;

    // Carriers
    public const int BookingDeskDecided = 6001;
    public const int JourneyDriverSent = 6101;
    public const int JourneyDriverJourneyFailed = 6102;
    public const int WebhookSenderRetry = 6201;
    public const int WebhookSenderRoundFailed = 6202;
    public const int WebhookSenderRefused = 6203;
}
