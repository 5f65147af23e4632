using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LogisticsSync.Orchestrator.Tests.Flows;

/// <summary>What the test double's TMS does for one business key: the carriers it quotes, and each carrier's answer to a tender.</summary>
public sealed class TmsScript
{
    public string[] Carriers { get; set; } = ["parcelfast", "freightline"];

    /// <summary>Carrier → "booked", "rejected" or "unavailable" (booked when not named). Changeable while a test runs.</summary>
    public ConcurrentDictionary<string, string> Outcomes { get; } = new(StringComparer.Ordinal);
}

/// <summary>One tender as the TMS double received it.</summary>
public sealed record ReceivedTender(Guid TenderId, string BusinessKey, string CarrierId, string IdempotencyKey, string Answer);

/// <summary>
/// A small real HTTP server (Kestrel, a free loopback port) playing the TMS and the ERP's system API exactly as
/// docs/flows.md fixes them: a partner test double, scripted per business key. The orchestrator reaches it through
/// the service-discovery variables a test injects (<c>services__tms__http__0</c>, <c>services__erp__http__0</c>).
/// </summary>
public sealed class PartnerDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, object> _tenderAnswers = new();
    private readonly ConcurrentDictionary<string, int> _bookings = new(StringComparer.Ordinal);

    private PartnerDouble(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ConcurrentDictionary<string, TmsScript> Scripts { get; } = new(StringComparer.Ordinal);

    /// <summary>The TMS answers every call 503 (a problem) while true.</summary>
    public bool TmsDown { get; set; }

    /// <summary>How long the TMS holds its answer to a tender after booking it: a caller killed meanwhile has lost the answer.</summary>
    public TimeSpan TenderAnswerDelay { get; set; }

    /// <summary>The ERP answers 503 + Retry-After 1 (maintenance) while true.</summary>
    public bool ErpInMaintenance { get; set; }

    public ConcurrentQueue<ReceivedTender> Tenders { get; } = new();

    /// <summary>Every posting trigger the ERP received, answered or not: (kind, business key).</summary>
    public ConcurrentQueue<(string Kind, string BusinessKey, HttpStatusCode Answer)> PostingCalls { get; } = new();

    /// <summary>Documents the ERP posted, once per kind and business key (its journal is idempotent).</summary>
    public ConcurrentDictionary<(string Kind, string BusinessKey), string> Posted { get; } = new();

    public int BookingsOf(string businessKey) => _bookings.GetValueOrDefault(businessKey);

    public static async Task<PartnerDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var partner = new PartnerDouble(app);
        app.MapGet("/tms/api/rates", partner.Rates);
        app.MapPost("/tms/api/tenders", (Delegate)partner.TenderAsync);
        app.MapPost("/erp/api/goods-issues", (Delegate)((HttpContext http) => partner.PostAsync(http, "goods-issue")));
        app.MapPost("/erp/api/invoice-triggers", (Delegate)((HttpContext http) => partner.PostAsync(http, "invoice")));
        await app.StartAsync();
        partner.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return partner;
    }

    public TmsScript Script(string businessKey) => Scripts.GetOrAdd(businessKey, _ => new TmsScript());

    private IResult Rates(string businessKey, string serviceLevel, string country, decimal weightKg)
    {
        if (TmsDown)
        {
            return Results.Problem(statusCode: 503, title: "TMS unavailable");
        }

        var quotes = Script(businessKey).Carriers.Select((carrier, i) => new
        {
            carrierId = carrier, serviceLevel, price = 10.0m + i * 2.5m + weightKg, currency = "EUR", transitDays = 2 + i,
        });
        return Results.Ok(new { businessKey, quotes });
    }

    private async Task<IResult> TenderAsync(HttpContext http)
    {
        if (TmsDown)
        {
            return Results.Problem(statusCode: 503, title: "TMS unavailable");
        }

        var tender = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, JsonSerializerOptions.Web);
        var tenderId = tender.GetProperty("tenderId").GetGuid();
        var businessKey = tender.GetProperty("businessKey").GetString()!;
        var carrier = tender.GetProperty("carrierId").GetString()!;
        // A repeated tender id gets the first answer again and books nothing twice (docs/flows.md).
        var answer = _tenderAnswers.GetOrAdd(tenderId, _ =>
        {
            var outcome = Script(businessKey).Outcomes.GetValueOrDefault(carrier, "booked");
            if (outcome == "booked")
            {
                _bookings.AddOrUpdate(businessKey, 1, (_, n) => n + 1);
                var tracking = carrier == "freightline" ? $"FL-{Random.Shared.Next(1_000_000, 9_999_999)}" : $"PF{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";
                return new
                {
                    tenderId, carrierId = carrier, outcome, bookingReference = $"BK-{carrier}-{tenderId.ToString("N")[..8]}", trackingNumber = tracking,
                    labelUrl = $"https://labels.example/{tracking}", estimatedDeliveryAt = DateTimeOffset.Parse("2026-11-30T12:00:00+00:00", System.Globalization.CultureInfo.InvariantCulture),
                };
            }

            return (object)new { tenderId, carrierId = carrier, outcome, reason = outcome == "rejected" ? "no capacity on lane" : "booking API down", retryAfterSeconds = (int?)null };
        });
        Tenders.Enqueue(new ReceivedTender(tenderId, businessKey, carrier, http.Request.Headers["Idempotency-Key"].ToString(),
            JsonSerializer.Serialize(answer, JsonSerializerOptions.Web)));
        if (TenderAnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(TenderAnswerDelay, CancellationToken.None);
        }

        return Results.Json(answer, JsonSerializerOptions.Web);
    }

    private async Task<IResult> PostAsync(HttpContext http, string kind)
    {
        var trigger = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, JsonSerializerOptions.Web);
        var businessKey = trigger.GetProperty("businessKey").GetString()!;
        if (ErpInMaintenance)
        {
            PostingCalls.Enqueue((kind, businessKey, HttpStatusCode.ServiceUnavailable));
            http.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: 503, title: "ERP in maintenance");
        }

        var created = false;
        var document = Posted.GetOrAdd((kind, businessKey), _ =>
        {
            created = true;
            return $"{kind}-{businessKey}";
        });
        PostingCalls.Enqueue((kind, businessKey, created ? HttpStatusCode.Created : HttpStatusCode.OK));
        var body = new { document, kind, businessKey };
        return created ? Results.Created($"/erp/api/documents/{document}", body) : Results.Ok(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
