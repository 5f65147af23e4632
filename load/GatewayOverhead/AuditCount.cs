namespace LogisticsSync.Load.GatewayOverhead;

/// <param name="Received">Log records the dashboard received from the run's services (the gateway's audit, and a few start-up lines).</param>
/// <param name="Requests">Partner requests the gateway answered: wrk's completed requests (warm-up included) and the open model's, its one-second warm-ups counted at the rate.</param>
internal sealed record AuditCount(long Received, long Requests);
