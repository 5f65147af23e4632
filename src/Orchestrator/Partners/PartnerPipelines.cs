using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using LogisticsSync.ServiceDefaults.Clients;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace LogisticsSync.Orchestrator.Partners;

/// <summary>The partner systems the orchestrator calls, by their service-discovery names.</summary>
internal static class PartnerNames
{
    public const string Tms = "tms";
    public const string Erp = "erp";
}

/// <summary>
/// Each partner's circuit breaker state, readable outside its pipeline, and as the gauge
/// <c>logistics.partner.circuit_state</c> (0 closed, 1 half-open, 2 open, 3 isolated) tagged by partner.
/// </summary>
internal sealed class PartnerCircuits
{
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _providers = new(StringComparer.Ordinal);

    public PartnerCircuits(IMeterFactory meterFactory) =>
        meterFactory.Create(OrchestratorMetrics.MeterName).CreateObservableGauge(
            "logistics.partner.circuit_state",
            () => _providers.Select(p => new Measurement<int>(StateValue(p.Value.CircuitState), new KeyValuePair<string, object?>("partner", p.Key))),
            description: "Circuit breaker state per partner: 0 closed, 1 half-open, 2 open, 3 isolated");

    public CircuitBreakerStateProvider For(string partner) => _providers.GetOrAdd(partner, _ => new CircuitBreakerStateProvider());

    public CircuitState StateOf(string partner) => _providers.TryGetValue(partner, out var provider) ? provider.CircuitState : CircuitState.Closed;

    private static int StateValue(CircuitState state) => state switch
    {
        CircuitState.Closed => 0,
        CircuitState.HalfOpen => 1,
        CircuitState.Open => 2,
        _ => 3,
    };
}

/// <summary>
/// A partner's resilience pipeline (Polly, through Microsoft.Extensions.Http.Resilience), outermost first: a
/// total timeout, retries with jittered exponential back-off, a circuit breaker per partner, a timeout per
/// attempt. POSTs are retried too: every call the orchestrator makes is idempotent on the partner's side
/// (tenders by Idempotency-Key, ERP postings per business key).
/// </summary>
internal static class PartnerPipeline
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, string partner, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<PartnerOptions>>().Get(partner);
        pipeline
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A Retry-After (ERP maintenance) can be minutes: that wait belongs to the work table, not to a held call.
                ShouldRetryAfterHeader = false,
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = services.GetRequiredService<PartnerCircuits>().For(partner),
            })
            .AddTimeout(options.AttemptTimeout);
    }
}

/// <summary>A partner call that did not get an answer worth acting on: down, failing, too slow, rate limited or its circuit open.</summary>
internal sealed class PartnerUnavailableException(string partner, string reason, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"{partner}: {reason}", inner)
{
    public string Partner { get; } = partner;

    /// <summary>What the partner asked for (Retry-After), if anything: the next attempt waits at least that long.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Runs a call, turning every way it can fail to get an answer into this exception.</summary>
    public static async Task<HttpResponseMessage> SendAsync(string partner, Func<Task<HttpResponseMessage>> call)
    {
        HttpResponseMessage response;
        try
        {
            response = await call();
        }
        catch (BrokenCircuitException exception)
        {
            throw new PartnerUnavailableException(partner, "circuit open: calls are held back until the partner recovers", exception.RetryAfter, exception);
        }
        catch (Exception exception) when (TransportFailures.Is(exception) || exception is TaskCanceledException)
        {
            throw new PartnerUnavailableException(partner, exception is TimeoutRejectedException or TaskCanceledException ? "timed out" : $"unreachable ({exception.Message})", inner: exception);
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            using (response)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
                throw new PartnerUnavailableException(partner, $"answered {(int)response.StatusCode} {response.ReasonPhrase}", retryAfter);
            }
        }

        return response;
    }
}
