using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Telemetry;
using Polly;
using Polly.Registry;

namespace LogisticsSync.Simulators.Erp;

/// <summary>The answer the ERP finally got for one request (after its retries).</summary>
internal sealed record ReleaseAnswer(int StatusCode, Guid? ShipmentId, bool Replayed);

/// <summary>
/// Sends release commands to the gateway the way a careful ERP client does: one Idempotency-Key per order,
/// reused on every retry and resend, under the <see cref="ReleasePipeline"/> (attempt timeout, retries).
/// </summary>
internal sealed partial class GatewayReleaseClient(
    IHttpClientFactory httpClients,
    ResiliencePipelineProvider<string> pipelines,
    FaultInjector faults,
    ReleaseLedger ledger,
    SimulatorMetrics metrics,
    TimeProvider time,
    ILogger<GatewayReleaseClient> logger)
{
    public const string HttpClientName = "erp-gateway";

    /// <summary>Why a request is sent: the first release, or a resend of an order already released.</summary>
    public enum Purpose
    {
        Release,
        Resend,
    }

    public async Task<ReleaseAnswer> SendAsync(SalesOrder order, string idempotencyKey, byte[] body, Purpose purpose, CancellationToken cancellationToken)
    {
        var pipeline = pipelines.GetPipeline<HttpResponseMessage>(ReleasePipeline.Name);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ReleasePipeline.OrderKey, order.BusinessKey);
        var http = httpClients.CreateClient(HttpClientName);
        var attempt = 0;
        try
        {
            using var response = await pipeline.ExecuteAsync(async attemptContext =>
            {
                var subject = $"{order.BusinessKey}/{purpose}/{++attempt}";
                ledger.Attempted(order.BusinessKey);
                await faults.DelayAsync(subject, attemptContext.CancellationToken);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments")
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                };
                request.Headers.Add(ProtocolHeaders.IdempotencyKey, idempotencyKey);
                request.Headers.Add(ProtocolHeaders.CorrelationId, $"erp-{order.BusinessKey}");
                var response = await http.SendAsync(request, attemptContext.CancellationToken);
                if (faults.Happens(faults.Current.TimeoutRate, "erp.lost-response", subject))
                {
                    // The gateway did the work; the answer never arrives. Only the attempt timeout ends the
                    // wait, as it would for a real client, and the retry goes out under the same key.
                    ledger.LostResponse(order.BusinessKey);
                    metrics.FaultInjected("lost-response");
                    LogResponseLost(order.BusinessKey, attempt, (int)response.StatusCode);
                    response.Dispose();
                    await Task.Delay(Timeout.InfiniteTimeSpan, time, attemptContext.CancellationToken);
                }

                return response;
            }, context);
            return new ReleaseAnswer((int)response.StatusCode, await ShipmentIdOfAsync(response, cancellationToken), IsReplay(response));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool IsReplay(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ProtocolHeaders.IdempotentReplayed, out var values) && values.Contains("true", StringComparer.OrdinalIgnoreCase);

    private static async Task<Guid?> ShipmentIdOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }

        var shipment = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return shipment.TryGetProperty("id", out var id) && id.TryGetGuid(out var value) ? value : null;
    }

    [LoggerMessage(EventId = LogEventIds.GatewayReleaseClientResponseLost, Level = LogLevel.Information, Message = "Fault: the response to order {BusinessKey} attempt {Attempt} ({StatusCode}) is lost; waiting out the attempt timeout")]
    private partial void LogResponseLost(string businessKey, int attempt, int statusCode);
}
