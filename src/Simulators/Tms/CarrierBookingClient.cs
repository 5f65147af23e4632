using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.ServiceDefaults.Clients;
using LogisticsSync.Simulators.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace LogisticsSync.Simulators.Tms;

/// <summary>
/// Forwards a tender to the carrier's booking API (<c>POST /carrier/api/bookings</c>, found by service discovery)
/// and turns what the carrier said into the TMS's answer: 201 booked, 422 rejected, 429/5xx/timeout unavailable.
/// </summary>
internal sealed partial class CarrierBookingClient(
    IHttpClientFactory httpClients,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<TmsOptions> options,
    ILogger<CarrierBookingClient> logger)
{
    public const string HttpClientName = "tms-carriers";
    public const string PipelineName = "tms-carrier-booking";

    public static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<TmsOptions>>().Value;
        if (settings.CarrierRetries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = settings.CarrierRetries,
                Delay = settings.CarrierRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        pipeline.AddTimeout(settings.CarrierAttemptTimeout);
    }

    public async Task<TenderAnswer> BookAsync(TenderRequest tender, CancellationToken cancellationToken)
    {
        var tenderId = tender.TenderId!.Value;
        var carrierId = tender.CarrierId!;
        var http = httpClients.CreateClient(HttpClientName);
        var uri = new Uri(options.Value.CarrierUri(carrierId), "/carrier/api/bookings");
        try
        {
            using var response = await pipelines.GetPipeline<HttpResponseMessage>(PipelineName).ExecuteAsync(async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(tender) };
                request.Headers.Add(TenderRequest.IdempotencyKeyHeader, tenderId.ToString());
                return await http.SendAsync(request, token);
            }, cancellationToken);
            return await AnswerAsync(tenderId, carrierId, response, cancellationToken);
        }
        catch (Exception exception) when (TransportFailures.Is(exception))
        {
            LogCarrierUnreachable(carrierId, tenderId, exception.Message);
            var reason = exception is TimeoutRejectedException
                ? $"the carrier's booking API did not answer within {options.Value.CarrierAttemptTimeout.TotalSeconds:0.#} s"
                : $"the carrier's booking API is unreachable: {exception.Message}";
            return new TenderAnswer(tenderId, carrierId, TenderAnswer.Unavailable, Reason: reason);
        }
    }

    private static async Task<TenderAnswer> AnswerAsync(Guid tenderId, string carrierId, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.Created or HttpStatusCode.OK:
                var booking = await response.Content.ReadFromJsonAsync<BookingConfirmation>(cancellationToken)
                    ?? throw new HttpRequestException("The carrier answered its booking with an empty body.");
                return new TenderAnswer(tenderId, carrierId, TenderAnswer.Booked, booking.BookingReference, booking.TrackingNumber, booking.LabelUrl, booking.EstimatedDeliveryAt);
            case var status when SeededRetryPipeline.IsTransient(status):
                return new TenderAnswer(tenderId, carrierId, TenderAnswer.Unavailable,
                    Reason: $"the carrier's booking API answered {(int)status} {await DetailAsync(response, cancellationToken)}".TrimEnd(),
                    RetryAfterSeconds: RetryAfterSeconds(response));
            default:
                // 422 is the carrier's "no" (capacity, weight, lane); another 4xx is the carrier refusing this tender too.
                return new TenderAnswer(tenderId, carrierId, TenderAnswer.Rejected,
                    Reason: await ReasonAsync(response, cancellationToken) ?? $"the carrier refused the tender ({(int)response.StatusCode})");
        }
    }

    private static int? RetryAfterSeconds(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => (int)Math.Ceiling(delta.TotalSeconds),
        { Date: { } date } => Math.Max(0, (int)Math.Ceiling((date - DateTimeOffset.UtcNow).TotalSeconds)),
        _ => null,
    };

    private static async Task<string?> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var problem = await ProblemAsync(response, cancellationToken);
        return problem?.TryGetProperty("reason", out var reason) == true && reason.ValueKind == JsonValueKind.String
            ? reason.GetString()
            : problem?.TryGetProperty("detail", out var detail) == true ? detail.GetString() : null;
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await ProblemAsync(response, cancellationToken))?.TryGetProperty("title", out var title) == true
            ? string.Create(CultureInfo.InvariantCulture, $"({title.GetString()})")
            : "";

    private static async Task<JsonElement?> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken) is { ValueKind: JsonValueKind.Object } problem ? problem : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = LogEventIds.CarrierBookingClientCarrierUnreachable, Level = LogLevel.Warning, Message = "Carrier {CarrierId} unreachable for tender {TenderId}: {Reason}")]
    private partial void LogCarrierUnreachable(string carrierId, Guid tenderId, string reason);
}
