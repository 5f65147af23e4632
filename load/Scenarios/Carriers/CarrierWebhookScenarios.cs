using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LogisticsSync.Load.Scenarios.Partners;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Webhooks;

namespace LogisticsSync.Load.Scenarios.Carriers;

/// <summary>
/// A carrier's webhook storm through the gateway's <c>POST /webhooks/carriers/{carrierId}</c>, signed as Standard
/// Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature: v1,base64(HMAC-SHA256(key,
/// "id.timestamp.body"))</c>. A share of the deliveries repeats an earlier message with its id and body, as a
/// carrier does when it missed the answer: the gateway should answer those <c>200</c> (duplicate) and the new ones
/// <c>202</c>. Every attempt is signed at the moment it is sent, so a retry carries a fresh timestamp.
/// </summary>
public sealed class CarrierWebhookScenarios(Uri gateway, CarrierWebhookSettings carrier, TimeSpan attemptTimeout, int retries) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly RetryingSender _sender = new(RetryingSender.CreateClient(gateway), attemptTimeout, retries);
    private readonly byte[] _key = SigningKey(carrier.Secret);
    private readonly DateTime _runStart = DateTime.UtcNow;
    private string RunId => _runStart.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    private long _duplicatesSent;

    public Scenario Storm() => new("webhooks", context =>
    {
        var message = MessageFor(context.Iteration, carrier.DuplicateShare);
        if (message != context.Iteration)
        {
            Interlocked.Increment(ref _duplicatesSent);
        }

        var id = $"msg_{RunId}_{message}";
        var body = Body(carrier.CarrierId, message, _runStart);
        return _sender.SendAsync(() =>
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/carriers/{carrier.CarrierId}") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Add("X-Api-Key", carrier.ApiKey);
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", Sign(_key, id, timestamp, body));
            return request;
        }, response => response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, context.CancellationToken);
    });

    public ReportSection ClientSection() => new($"Carrier webhooks ({carrier.CarrierId})",
        "A duplicate repeats an earlier message's webhook-id and body (the carrier missed the answer); the gateway should answer it 200, a new one 202.",
        ["figure", "value"],
        [["duplicates sent", Interlocked.Read(ref _duplicatesSent).ToString(CultureInfo.InvariantCulture)],
         ["duplicate share asked for", carrier.DuplicateShare.ToString("P0", CultureInfo.InvariantCulture)],
         ["attempts retried (timeout, failed connection, 409 in flight, 429, 502, 503, 504)", _sender.Retried.ToString(CultureInfo.InvariantCulture)]]);

    public void Dispose() => _sender.Client.Dispose();

    /// <summary>
    /// Which message an iteration delivers: itself, or — for a share of iterations spread evenly by a multiplicative
    /// hash, so the same run repeats the same ones — the message of an earlier iteration that sent its own (halving
    /// until one did: the iteration at half its number may itself have been a repeat, and then that message was never sent).
    /// </summary>
    internal static long MessageFor(long iteration, double duplicateShare)
    {
        var message = iteration;
        while (RepeatsAnEarlierMessage(message, duplicateShare))
        {
            message /= 2;
        }

        return message;
    }

    private static bool RepeatsAnEarlierMessage(long iteration, double duplicateShare) =>
        iteration > 0 && (ulong)iteration * 2654435761UL % 1000 < (ulong)(duplicateShare * 1000);

    /// <summary>A message's body depends only on its number, so a duplicate repeats it byte for byte.</summary>
    internal static byte[] Body(string carrierId, long message, DateTime runStart) => Encoding.UTF8.GetBytes(
        $$"""{"tracking_number":"{{carrierId.ToUpperInvariant()}}-{{message}}","status":"in_transit","at":"{{runStart.AddMilliseconds(message):yyyy-MM-ddTHH:mm:ss.fffZ}}"}""");

    /// <summary>The Standard Webhooks signature header value for one delivery (the gateway's own signing code).</summary>
    internal static string Sign(byte[] key, string id, long timestamp, byte[] body) => StandardWebhookSignature.Sign(key, id, timestamp, body);

    /// <summary>The HMAC key is the base64 after <c>whsec_</c>, never the secret string itself.</summary>
    internal static byte[] SigningKey(string secret) => StandardWebhookSignature.KeyOf(secret);
}
