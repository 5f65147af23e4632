namespace LogisticsSync.ServiceDefaults;

/// <summary>
/// Every <c>[LoggerMessage]</c> event id of the service defaults, in one place: a block per feature. These messages are
/// logged inside every service's process, so their ids sit above every service's own (which stay below 10000): a log query
/// by id finds one kind of event whichever service wrote it. <c>LogEventIdsTests</c> fails on a repeat, and each service's
/// fails when one of its ids collides with these.
/// </summary>
internal static class LogEventIds
{
    // Clients
    public const int RabbitMQConnected = 10001;
    public const int RabbitMQUnreachable = 10002;
    // 10003 (connect failed for good) is retired: connecting no longer gives up, so there is no such event.
    public const int RabbitMQConnectionLost = 10004;
    public const int RabbitMQRecoveryFailed = 10005;
    public const int RabbitMQRecovered = 10006;
    public const int RabbitMQSetupFailed = 10007;

    // Messaging
    public const int ConfirmingPublisherChannelReplaced = 10101;

    // Problems
    public const int UnhandledExceptionHandlerUnhandled = 10201;

    // ServiceKeys
    public const int ServiceKeyRefused = 10301;
}
