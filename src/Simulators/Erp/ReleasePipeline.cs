using System.Net;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace LogisticsSync.Simulators.Erp;

/// <summary>
/// The ERP's resilience pipeline for releases (<see cref="SeededRetryPipeline"/>). Retries are what turn timeouts into
/// duplicates the orchestrator must absorb: the request may well have been processed.
/// </summary>
internal static partial class ReleasePipeline
{
    public const string Name = "erp-release";
    private const string JitterStream = "erp.retry-jitter";

    /// <summary>The order a pipeline run is for, so its jitter comes from the seed and the order, not from the clock.</summary>
    public static readonly ResiliencePropertyKey<string> OrderKey = SeededRetryPipeline.SubjectKey;

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ErpOptions>>().Value;
        var seed = services.GetRequiredService<SimulationSeed>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReleasePipeline));
        SeededRetryPipeline.Configure(pipeline, seed.Value, JitterStream, options.MaxRetryAttempts, options.RetryDelay, options.AttemptTimeout,
            (order, arguments) => LogRetry(logger, order, arguments.AttemptNumber + 1, arguments.RetryDelay.TotalMilliseconds, SeededRetryPipeline.Reason(arguments)));
    }

    public static bool IsTransient(HttpStatusCode status) => SeededRetryPipeline.IsTransient(status);

    public static TimeSpan Backoff(TimeSpan first, int attemptNumber, int seed, string orderKey) =>
        SeededRetryPipeline.Backoff(first, attemptNumber, seed, JitterStream, orderKey);

    [LoggerMessage(EventId = LogEventIds.ReleasePipelineRetry, Level = LogLevel.Warning, Message = "Release of order {BusinessKey}: retry {Attempt} in {DelayMs:0} ms after {Reason}")]
    private static partial void LogRetry(ILogger logger, string businessKey, int attempt, double delayMs, string reason);
}
