using System.Net;
using LogisticsSync.ServiceDefaults.Clients;
using LogisticsSync.Simulators.Data;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LogisticsSync.Simulators.Resilience;

/// <summary>
/// The pipeline a simulated partner sends with (Polly): retries outermost, then a timeout per attempt, so a lost or
/// slow answer costs one attempt, not the message. Jitter is drawn from the seed and what is being sent, never from
/// the clock, so the same seed retries on the same schedule; a <c>Retry-After</c> is honoured as a polite client does.
/// Used by the ERP's releases and the carriers' webhooks.
/// </summary>
internal static class SeededRetryPipeline
{
    /// <summary>What a pipeline run sends (an order, a webhook id): its jitter stream key and the name in its retry log.</summary>
    public static readonly ResiliencePropertyKey<string> SubjectKey = new("simulator.subject");

    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        int seed,
        string jitterStream,
        int maxRetryAttempts,
        TimeSpan retryDelay,
        TimeSpan attemptTimeout,
        Action<string, OnRetryArguments<HttpResponseMessage>> onRetry)
    {
        pipeline
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<Exception>(TransportFailures.Is)
                    .HandleResult(response => IsTransient(response.StatusCode)),
                MaxRetryAttempts = maxRetryAttempts,
                DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(
                    RetryAfter(arguments.Outcome.Result) ?? Backoff(retryDelay, arguments.AttemptNumber, seed, jitterStream, arguments.Context.Properties.GetValue(SubjectKey, ""))),
                OnRetry = arguments =>
                {
                    onRetry(arguments.Context.Properties.GetValue(SubjectKey, "?"), arguments);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(attemptTimeout);
    }

    /// <summary>408, 429, 5xx, and 409: "a request with this key (webhook id) is still being processed".</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict || (int)status >= 500;

    /// <summary>Exponential back-off with "equal jitter" (half fixed, half drawn), drawn from the seed for the subject and attempt.</summary>
    public static TimeSpan Backoff(TimeSpan first, int attemptNumber, int seed, string jitterStream, string subject)
    {
        var exponential = first * Math.Pow(2, attemptNumber);
        return exponential / 2 + exponential / 2 * SeededRandom.Unit(seed, jitterStream, $"{subject}/{attemptNumber}");
    }

    /// <summary>A 429 or 503 says when to come back.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter?.Delta;

    /// <summary>Why an attempt is retried, for the log: the exception's type or the status code.</summary>
    public static string Reason(OnRetryArguments<HttpResponseMessage> arguments) =>
        arguments.Outcome.Exception?.GetType().Name ?? $"HTTP {(int)arguments.Outcome.Result!.StatusCode}";
}
