using System.Net;
using LogisticsSync.Simulators.Data;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LogisticsSync.Simulators.Erp;

/// <summary>
/// The ERP's resilience pipeline for releases (Polly): retries outermost, then a timeout per attempt, so a
/// lost or slow answer costs one attempt, not the order. Retries are what turn timeouts into duplicates the
/// orchestrator must absorb: the request may well have been processed.
/// </summary>
internal static partial class ReleasePipeline
{
    public const string Name = "erp-release";

    /// <summary>The order a pipeline run is for, so its jitter comes from the seed and the order, not from the clock.</summary>
    public static readonly ResiliencePropertyKey<string> OrderKey = new("erp.order");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ErpOptions>>().Value;
        var seed = services.GetRequiredService<SimulationSeed>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ReleasePipeline));
        pipeline
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(response => IsTransient(response.StatusCode)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(
                    RetryAfter(arguments.Outcome.Result) ?? Backoff(options.RetryDelay, arguments.AttemptNumber, seed.Value, arguments.Context.Properties.GetValue(OrderKey, ""))),
                OnRetry = arguments =>
                {
                    LogRetry(logger, arguments.Context.Properties.GetValue(OrderKey, "?"), arguments.AttemptNumber + 1, arguments.RetryDelay.TotalMilliseconds,
                        arguments.Outcome.Exception?.GetType().Name ?? $"HTTP {(int)arguments.Outcome.Result!.StatusCode}");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>408, 429, 5xx, and 409: the orchestrator's "a request with this key is still being processed".</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict || (int)status >= 500;

    /// <summary>Exponential back-off with "equal jitter" (half fixed, half drawn), drawn from the seed for the order and attempt.</summary>
    public static TimeSpan Backoff(TimeSpan first, int attemptNumber, int seed, string orderKey)
    {
        var exponential = first * Math.Pow(2, attemptNumber);
        return exponential / 2 + exponential / 2 * SeededRandom.Unit(seed, "erp.retry-jitter", $"{orderKey}/{attemptNumber}");
    }

    /// <summary>A 429 or 503 says when to come back; a polite client listens.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter?.Delta;

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Release of order {BusinessKey}: retry {Attempt} in {DelayMs:0} ms after {Reason}")]
    private static partial void LogRetry(ILogger logger, string businessKey, int attempt, double delayMs, string reason);
}
