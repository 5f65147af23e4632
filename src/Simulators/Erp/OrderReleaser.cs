using LogisticsSync.ServiceDefaults.Clients;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Telemetry;
using Microsoft.Extensions.Options;
using static LogisticsSync.Simulators.Erp.GatewayReleaseClient;

namespace LogisticsSync.Simulators.Erp;

/// <summary>
/// The ERP's outbound interface: generates seeded orders and releases them through the gateway at the
/// configured rate. An order is never dropped: when every retry fails (gateway or orchestrator down) it
/// waits and goes again under the same Idempotency-Key until it has its answer.
/// </summary>
internal sealed partial class OrderReleaser(
    GatewayReleaseClient gateway,
    ReleaseLedger ledger,
    MasterData master,
    SimulationSeed seed,
    FaultInjector faults,
    IOptions<ErpOptions> options,
    SimulatorMetrics metrics,
    TimeProvider time,
    ILogger<OrderReleaser> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var epoch = settings.Epoch ?? time.GetUtcNow();
        var orders = new OrderGenerator(master, seed.Value, epoch);
        LogStarting(seed.Value, settings.OrdersPerSecond, settings.OrderCount, epoch);

        using var inFlight = new SemaphoreSlim(settings.MaxInFlight, settings.MaxInFlight);
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1 / settings.OrdersPerSecond), time);
        for (var sequence = 1; settings.OrderCount == 0 || sequence <= settings.OrderCount; sequence++)
        {
            await faults.WaitWhileOutageAsync(stoppingToken);
            await inFlight.WaitAsync(stoppingToken);
            _ = ReleaseAsync(orders.Generate(sequence), inFlight, stoppingToken);
            await pace.WaitForNextTickAsync(stoppingToken);
        }

        // Every slot back means every release has its answer.
        for (var slot = 0; slot < settings.MaxInFlight; slot++)
        {
            await inFlight.WaitAsync(stoppingToken);
        }

        LogFinished(settings.OrderCount);
    }

    private async Task ReleaseAsync(SalesOrder order, SemaphoreSlim inFlight, CancellationToken stoppingToken)
    {
        try
        {
            var idempotencyKey = SeededRandom.Id(seed.Value, "erp.idempotency", order.BusinessKey).ToString();
            var body = ReleaseCommand.Serialize(order);
            ledger.Started(order.BusinessKey, idempotencyKey, order.Lines.Sum(line => line.Quantity));
            var answer = await ReleaseUntilAnsweredAsync(order, idempotencyKey, body, Purpose.Release, stoppingToken);
            ledger.Answered(order.BusinessKey, answer.StatusCode, answer.ShipmentId);
            if (answer.StatusCode != StatusCodes.Status201Created)
            {
                LogRejected(order.BusinessKey, answer.StatusCode);
                return;
            }

            metrics.OrderReleased();

            if (faults.Happens(faults.Current.DuplicateRate, "erp.resend", order.BusinessKey))
            {
                metrics.FaultInjected("resend");
                var resend = await ReleaseUntilAnsweredAsync(order, idempotencyKey, body, Purpose.Resend, stoppingToken);
                ledger.Resent(order.BusinessKey, resend.Replayed && resend.ShipmentId == answer.ShipmentId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the order stays pending in the ledger.
        }
        catch (Exception exception)
        {
            LogFailed(exception, order.BusinessKey);
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>Runs the pipeline until the answer is final (2xx or a 4xx that retrying cannot change).</summary>
    private async Task<ReleaseAnswer> ReleaseUntilAnsweredAsync(SalesOrder order, string idempotencyKey, byte[] body, Purpose purpose, CancellationToken stoppingToken)
    {
        while (true)
        {
            string reason;
            try
            {
                var answer = await gateway.SendAsync(order, idempotencyKey, body, purpose, stoppingToken);
                if (!ReleasePipeline.IsTransient((System.Net.HttpStatusCode)answer.StatusCode))
                {
                    return answer;
                }

                reason = $"HTTP {answer.StatusCode}";
            }
            catch (Exception exception) when (TransportFailures.Is(exception))
            {
                reason = exception.Message;
            }

            LogRoundFailed(order.BusinessKey, options.Value.RetryRoundDelay.TotalSeconds, reason);
            await Task.Delay(options.Value.RetryRoundDelay, time, stoppingToken);
        }
    }

    [LoggerMessage(EventId = LogEventIds.OrderReleaserStarting, Level = LogLevel.Information, Message = "ERP releasing orders: seed {Seed}, {OrdersPerSecond} per second, count {OrderCount} (0 = until stopped), epoch {Epoch:O}")]
    private partial void LogStarting(int seed, double ordersPerSecond, int orderCount, DateTimeOffset epoch);

    [LoggerMessage(EventId = LogEventIds.OrderReleaserFinished, Level = LogLevel.Information, Message = "ERP has released all {OrderCount} orders")]
    private partial void LogFinished(int orderCount);

    [LoggerMessage(EventId = LogEventIds.OrderReleaserRoundFailed, Level = LogLevel.Warning, Message = "Order {BusinessKey} not released yet, every retry failed; again in {DelaySeconds:0.#} s under the same key: {Reason}")]
    private partial void LogRoundFailed(string businessKey, double delaySeconds, string reason);

    [LoggerMessage(EventId = LogEventIds.OrderReleaserRejected, Level = LogLevel.Error, Message = "Order {BusinessKey} was rejected with HTTP {StatusCode}; it will not be sent again")]
    private partial void LogRejected(string businessKey, int statusCode);

    [LoggerMessage(EventId = LogEventIds.OrderReleaserFailed, Level = LogLevel.Error, Message = "Release of order {BusinessKey} failed unexpectedly")]
    private partial void LogFailed(Exception exception, string businessKey);
}
