using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Scenarios;

namespace LogisticsSync.Load.Scenarios.Shipments;

/// <summary>
/// The estate's partner traffic through the gateway. One <see cref="HttpClient"/> for the run (connections pooled,
/// as a partner's integration keeps them); each attempt has its own timeout so that a retry is the client's decision.
/// </summary>
public sealed class ShipmentScenarios(Uri gateway, string erpKey, string readKey, TimeSpan attemptTimeout, int retries) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false, MaxConnectionsPerServer = int.MaxValue })
    {
        BaseAddress = gateway,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    // Business keys are unique per run, so a second run against the same estate releases new shipments.
    private readonly string _runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    private readonly List<Guid> _readable = [];
    private long _retried;
    private long _replayed;

    /// <summary>ERP releases one shipment per iteration under a fresh Idempotency-Key; a lost answer is retried with the same key.</summary>
    public Scenario Release() => new("release", context => ReleaseAsync($"LOAD-{_runId}-{context.Iteration:0000000}", context.CancellationToken));

    /// <summary>A partner looks a shipment up, then its timeline (two measured steps).</summary>
    public Scenario Read(int shipments = 100) => new("read",
    [
        new Step("get shipment", context => GetAsync($"/api/v1/shipments/{Pick(context)}", context)),
        new Step("get timeline", context => GetAsync($"/api/v1/shipments/{Pick(context)}/timeline", context)),
    ])
    {
        Init = cancellationToken => SeedAsync(shipments, cancellationToken),
    };

    /// <summary>What the client did beyond the measured steps, for the report.</summary>
    public ReportSection ClientSection() => new("Release client behaviour",
        "Retries reuse the Idempotency-Key of the first attempt; a replay is the gateway answering a retry with the stored first response.",
        ["figure", "value"],
        [["attempts retried (timeout, failed connection, 429, 502, 503, 504)", Interlocked.Read(ref _retried).ToString(CultureInfo.InvariantCulture)],
         ["answers marked Idempotent-Replayed", Interlocked.Read(ref _replayed).ToString(CultureInfo.InvariantCulture)]]);

    /// <summary>A shipment id to read with wrk (the cross-check needs one fixed URL).</summary>
    public async Task<string> ReadablePathAsync(CancellationToken cancellationToken)
    {
        if (_readable.Count == 0)
        {
            await SeedAsync(1, cancellationToken);
        }

        return $"/api/v1/shipments/{_readable[0]}";
    }

    public void Dispose() => _client.Dispose();

    internal static byte[] ReleaseBody(string businessKey) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        businessKey,
        customer = new { id = "C-1001", name = "Acme Retail" },
        shipTo = new { name = "Acme DC North", street = "Hafenstraße 1", city = "Hamburg", postalCode = "20457", country = "DE" },
        lines = new[] { new { sku = "SKU-100", quantity = 2, weightKg = 1.25m }, new { sku = "SKU-220", quantity = 1, weightKg = 7.5m } },
        promisedBy = DateTimeOffset.UtcNow.AddDays(3),
        serviceLevel = "standard",
    });

    private async Task<StepResult> ReleaseAsync(string businessKey, CancellationToken cancellationToken)
    {
        var body = ReleaseBody(businessKey);
        var sent = 0L;
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(attemptTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Add("X-Api-Key", erpKey);
            request.Headers.Add("Idempotency-Key", businessKey);
            sent += body.Length;
            try
            {
                using var response = await _client.SendAsync(request, timeout.Token);
                var received = (await response.Content.ReadAsByteArrayAsync(timeout.Token)).Length;
                if (response.Headers.Contains("Idempotent-Replayed"))
                {
                    Interlocked.Increment(ref _replayed);
                }

                if (!IsRetryable(response.StatusCode) || attempt >= retries)
                {
                    return new StepResult(response.StatusCode == HttpStatusCode.Created, Status(response.StatusCode), sent, received);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested && attempt < retries)
            {
                // the answer was lost, late or the connection failed: ask again with the same key
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return StepResult.Fail("timeout", $"no answer in {retries + 1} attempts of {attemptTimeout.TotalSeconds:0.#} s", sent);
            }

            Interlocked.Increment(ref _retried);
            // A short jittered pause, as a client backs off before asking again with the same key.
            await Task.Delay(TimeSpan.FromMilliseconds(50 * (attempt + 1) * (1 + Random.Shared.NextDouble())), cancellationToken);
        }
    }

    private async Task<StepResult> GetAsync(string path, StepContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(attemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", readKey);
        using var response = await _client.SendAsync(request, timeout.Token);
        var received = (await response.Content.ReadAsByteArrayAsync(timeout.Token)).Length;
        return new StepResult(response.IsSuccessStatusCode, Status(response.StatusCode), 0, received);
    }

    private Guid Pick(StepContext context) => _readable[(int)(context.Iteration % _readable.Count)];

    /// <summary>Shipments for the read scenario, released before the measured run (not timed).</summary>
    private async Task SeedAsync(int count, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, token) =>
        {
            var key = $"LOAD-READ-{_runId}-{i:00000}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments") { Content = new ByteArrayContent(ReleaseBody(key)) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Add("X-Api-Key", erpKey);
            request.Headers.Add("Idempotency-Key", key);
            using var response = await _client.SendAsync(request, token);
            if (!response.IsSuccessStatusCode || response.Headers.Location is not { } location)
            {
                throw new InvalidOperationException($"seeding shipments for the read scenario: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
            }

            var id = Guid.Parse(location.OriginalString.Split('/').Last());
            lock (ids)
            {
                ids.Add(id);
            }
        });
        _readable.AddRange(ids.Order());
    }

    private static string Status(HttpStatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture);

    private static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
