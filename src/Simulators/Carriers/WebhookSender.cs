using System.Globalization;
using System.Net.Http.Headers;
using LogisticsSync.ServiceDefaults.Clients;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.Webhooks;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Resilience;
using LogisticsSync.Simulators.Telemetry;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace LogisticsSync.Simulators.Carriers;

/// <summary>How a webhook came to be sent: a status's first delivery, or a fault's repeat of it.</summary>
public static class WebhookKinds
{
    public const string First = "first";
    public const string Duplicate = "duplicate";
    public const string Resend = "resend";
    public const string Storm = "storm";
}

/// <summary>One delivery of a status webhook: its <c>webhook-id</c> and the exact bytes of its body.</summary>
internal sealed record OutgoingWebhook(string WebhookId, byte[] Body, string Kind, string TrackingNumber);

/// <summary>What the carrier's webhook sender has done (<c>GET /carrier/journeys</c>).</summary>
public sealed record WebhookReport(long Delivered, long First, long Duplicates, long Resends, long StormResends, long RetriedAttempts, long Rounds, long Refused, long Pending);

/// <summary>
/// Sends status webhooks to the gateway's <c>POST /webhooks/carriers/{carrierId}</c> with the carrier's API key and a
/// Standard Webhooks signature made at each attempt (a retry carries a fresh timestamp, as the gateway's freshness
/// check wants). Every delivery runs the <see cref="SeededRetryPipeline"/>; when all its retries fail (gateway down)
/// the webhook stays in memory and goes again after a pause until the gateway takes it: none is lost. Only a refusal
/// retrying cannot change (401, 403, 400) gives up, logged and counted.
/// </summary>
internal sealed partial class WebhookSender : IDisposable
{
    public const string HttpClientName = "carrier-webhooks";
    public const string PipelineName = "carrier-webhooks";
    private const string JitterStream = "carrier.webhook-retry-jitter";

    private readonly IHttpClientFactory _httpClients;
    private readonly ResiliencePipelineProvider<string> _pipelines;
    private readonly CarrierIdentity _carrier;
    private readonly FaultInjector _faults;
    private readonly TimeProvider _time;
    private readonly CarrierOptions _options;
    private readonly SimulatorMetrics _metrics;
    private readonly ILogger<WebhookSender> _logger;
    private readonly byte[] _key;
    private readonly SemaphoreSlim _inFlight;
    private long _first;
    private long _duplicates;
    private long _resends;
    private long _storm;
    private long _retried;
    private long _rounds;
    private long _refused;
    private long _pending;

    public WebhookSender(IHttpClientFactory httpClients, ResiliencePipelineProvider<string> pipelines, CarrierIdentity carrier, FaultInjector faults,
        TimeProvider time, IOptions<CarrierOptions> options, SimulatorMetrics metrics, ILogger<WebhookSender> logger)
    {
        (_httpClients, _pipelines, _carrier, _faults, _time, _options, _metrics, _logger) = (httpClients, pipelines, carrier, faults, time, options.Value, metrics, logger);
        _key = StandardWebhookSignature.KeyOf(carrier.WebhookSecret);
        _inFlight = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
    }

    /// <summary>How many resends one storm bursts (Simulator:Carrier:StormSize).</summary>
    public int StormSize => _options.StormSize;

    public static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<CarrierOptions>>().Value;
        var sender = new Lazy<WebhookSender>(services.GetRequiredService<WebhookSender>);
        SeededRetryPipeline.Configure(pipeline, services.GetRequiredService<SimulationSeed>().Value, JitterStream, options.MaxRetryAttempts, options.RetryDelay, options.AttemptTimeout,
            (webhookId, arguments) => sender.Value.Retrying(webhookId, arguments.AttemptNumber + 1, arguments.RetryDelay, SeededRetryPipeline.Reason(arguments)));
    }

    /// <summary>The request for one attempt, signed now: <c>v1,</c> base64(HMAC-SHA256(key, "{webhook-id}.{timestamp}.{body}")).</summary>
    public static HttpRequestMessage CreateRequest(CarrierIdentity carrier, byte[] key, OutgoingWebhook webhook, long timestamp)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new CarrierId(carrier.Id).WebhookPath)
        {
            Content = new ByteArrayContent(webhook.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(ProtocolHeaders.ApiKey, carrier.ApiKey);
        request.Headers.Add(ProtocolHeaders.CorrelationId, $"{carrier.Id}-{webhook.TrackingNumber}");
        request.Headers.Add(ProtocolHeaders.WebhookId, webhook.WebhookId);
        request.Headers.Add(ProtocolHeaders.WebhookTimestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(ProtocolHeaders.WebhookSignature, StandardWebhookSignature.Sign(key, webhook.WebhookId, timestamp, webhook.Body));
        return request;
    }

    /// <returns>True once the gateway took it (2xx); false only when it refused it for good.</returns>
    public async Task<bool> DeliverAsync(OutgoingWebhook webhook, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _pending);
        _metrics.WebhookPending(1);
        try
        {
            while (true)
            {
                string reason;
                await _inFlight.WaitAsync(cancellationToken);
                try
                {
                    using var response = await SendWithRetriesAsync(webhook, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        Delivered(webhook.Kind);
                        return true;
                    }

                    if (!SeededRetryPipeline.IsTransient(response.StatusCode))
                    {
                        Interlocked.Increment(ref _refused);
                        _metrics.WebhookFailed();
                        LogRefused(webhook.WebhookId, webhook.TrackingNumber, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                        return false;
                    }

                    reason = $"HTTP {(int)response.StatusCode}";
                }
                catch (Exception exception) when (TransportFailures.Is(exception))
                {
                    reason = exception.Message;
                }
                finally
                {
                    _inFlight.Release();
                }

                Interlocked.Increment(ref _rounds);
                LogRoundFailed(webhook.WebhookId, webhook.TrackingNumber, _options.RetryRoundDelay.TotalSeconds, reason);
                await Task.Delay(_options.RetryRoundDelay, _time, cancellationToken);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
            _metrics.WebhookPending(-1);
        }
    }

    public WebhookReport Report()
    {
        var (first, duplicates, resends, storm) = (Interlocked.Read(ref _first), Interlocked.Read(ref _duplicates), Interlocked.Read(ref _resends), Interlocked.Read(ref _storm));
        return new WebhookReport(first + duplicates + resends + storm, first, duplicates, resends, storm,
            Interlocked.Read(ref _retried), Interlocked.Read(ref _rounds), Interlocked.Read(ref _refused), Interlocked.Read(ref _pending));
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(OutgoingWebhook webhook, CancellationToken cancellationToken)
    {
        var http = _httpClients.CreateClient(HttpClientName);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(SeededRetryPipeline.SubjectKey, webhook.WebhookId);
        var attempt = 0;
        try
        {
            return await _pipelines.GetPipeline<HttpResponseMessage>(PipelineName).ExecuteAsync(async attemptContext =>
            {
                await _faults.DelayAsync($"{webhook.WebhookId}/{++attempt}", attemptContext.CancellationToken);
                using var request = CreateRequest(_carrier, _key, webhook, _time.GetUtcNow().ToUnixTimeSeconds() + _faults.Current.ClockSkewSeconds);
                return await http.SendAsync(request, attemptContext.CancellationToken);
            }, context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Delivered(string kind)
    {
        _ = kind switch
        {
            WebhookKinds.Duplicate => Interlocked.Increment(ref _duplicates),
            WebhookKinds.Resend => Interlocked.Increment(ref _resends),
            WebhookKinds.Storm => Interlocked.Increment(ref _storm),
            _ => Interlocked.Increment(ref _first),
        };
        _metrics.WebhookSent(kind);
    }

    private void Retrying(string webhookId, int attempt, TimeSpan delay, string reason)
    {
        Interlocked.Increment(ref _retried);
        _metrics.WebhookRetried();
        LogRetry(webhookId, attempt, delay.TotalMilliseconds, reason);
    }

    public void Dispose() => _inFlight.Dispose();

    [LoggerMessage(EventId = LogEventIds.WebhookSenderRetry, Level = LogLevel.Information, Message = "Webhook {WebhookId}: retry {Attempt} in {DelayMs:0} ms after {Reason}")]
    private partial void LogRetry(string webhookId, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = LogEventIds.WebhookSenderRoundFailed, Level = LogLevel.Warning, Message = "Webhook {WebhookId} ({TrackingNumber}) not delivered yet, every retry failed; kept and sent again in {DelaySeconds:0.#} s: {Reason}")]
    private partial void LogRoundFailed(string webhookId, string trackingNumber, double delaySeconds, string reason);

    [LoggerMessage(EventId = LogEventIds.WebhookSenderRefused, Level = LogLevel.Error, Message = "Webhook {WebhookId} ({TrackingNumber}) refused by the gateway with HTTP {StatusCode}; it will not be sent again: {Body}")]
    private partial void LogRefused(string webhookId, string trackingNumber, int statusCode, string body);
}
