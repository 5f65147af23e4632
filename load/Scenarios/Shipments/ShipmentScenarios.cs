using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LogisticsSync.Load.Scenarios.Partners;
using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Scenarios;

namespace LogisticsSync.Load.Scenarios.Shipments;

/// <summary>The ERP's and the portal's traffic through the gateway: releases with idempotency keys, and reads.</summary>
public sealed class ShipmentScenarios(Uri gateway, string erpKey, string readKey, TimeSpan attemptTimeout, int retries) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly RetryingSender _sender = new(RetryingSender.CreateClient(gateway), attemptTimeout, retries);

    // Business keys are unique per run, so a second run against the same estate releases new shipments.
    private readonly string _runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    private readonly List<Guid> _readable = [];
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
        [["attempts retried (timeout, failed connection, 409, 429, 502, 503, 504)", _sender.Retried.ToString(CultureInfo.InvariantCulture)],
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

    public void Dispose() => _sender.Client.Dispose();

    internal static byte[] ReleaseBody(string businessKey) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        businessKey,
        customer = new { id = "C-1001", name = "Acme Retail" },
        shipTo = new { name = "Acme DC North", street = "Hafenstraße 1", city = "Hamburg", postalCode = "20457", country = "DE" },
        lines = new[] { new { sku = "SKU-100", quantity = 2, weightKg = 1.25m }, new { sku = "SKU-220", quantity = 1, weightKg = 7.5m } },
        promisedBy = DateTimeOffset.UtcNow.AddDays(3),
        serviceLevel = "standard",
    });

    private Task<StepResult> ReleaseAsync(string businessKey, CancellationToken cancellationToken)
    {
        var body = ReleaseBody(businessKey);
        return _sender.SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shipments") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.Add("X-Api-Key", erpKey);
            request.Headers.Add("Idempotency-Key", businessKey);
            return request;
        }, response =>
        {
            if (response.Headers.Contains("Idempotent-Replayed"))
            {
                Interlocked.Increment(ref _replayed);
            }

            return response.StatusCode == HttpStatusCode.Created;
        }, cancellationToken);
    }

    private async Task<StepResult> GetAsync(string path, StepContext context)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(attemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", readKey);
        using var response = await _sender.Client.SendAsync(request, timeout.Token);
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
            using var response = await _sender.Client.SendAsync(request, token);
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

}
