using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Carriers;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Tms;
using Xunit.Abstractions;
using static LogisticsSync.AppHost.Tests.EndToEnd.OrderToPackEstateFixture;

namespace LogisticsSync.AppHost.Tests.EndToEnd;

/// <summary>
/// Tendering through the TMS to the carriers, and the carriers' journeys as signed webhooks through the real gateway
/// into the orchestrator's raw inbox (<c>carrier_webhook_inbox</c>). The tests play the orchestrator's part: they
/// call the TMS directly, as docs/flows.md has the orchestrator do. Each restores any fault profile it changes, and
/// waits for the estate's order-to-pack run first: journeys and storms sent while it runs would crowd the two cores
/// the order-to-pack timings are measured on.
/// </summary>
[Collection(OrderToPackEstateCollection.Name)]
public sealed class TenderingTests(OrderToPackEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan JourneyTimeout = TimeSpan.FromSeconds(30);
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Tender_BooksWithEachCarrier_WhoseSignedWebhooksPassTheGatewayIntoTheInboxInItsOwnFormat()
    {
        await estate.OrderToPackAsync();
        using var tms = estate.Simulator(ResourceNames.Tms);
        var rates = await tms.GetFromJsonAsync<RatesAnswer>("/tms/api/rates?businessKey=SO-tender-journey&serviceLevel=standard&country=DE&weightKg=3.5");
        Assert.Equal(["freightline", "parcelfast"], rates!.Quotes.Select(q => q.CarrierId).Order());
        Assert.Equal(rates.Quotes.OrderBy(q => q.Price).Select(q => q.CarrierId), rates.Quotes.Select(q => q.CarrierId));

        var booked = new Dictionary<string, TenderAnswer>();
        foreach (var quote in rates.Quotes)
        {
            var (status, answer, _) = await TenderAsync(tms, Tender("SO-tender-journey", quote.CarrierId, "standard"));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(TenderAnswer.Booked, answer.Outcome);
            booked[quote.CarrierId] = answer;
        }

        Assert.Matches("^PF[0-9]{10}$", booked["parcelfast"].TrackingNumber);
        Assert.Matches("^FL-[0-9]{10}$", booked["freightline"].TrackingNumber);
        Assert.All(booked.Values, a => Assert.True(a.EstimatedDeliveryAt < PromisedBy, "the ETA is derived from the promise, a few hours before it"));

        var parcelFast = await CompletedJourneyAsync(ResourceNames.CarrierParcelFast, booked["parcelfast"].TrackingNumber!);
        var freightLine = await CompletedJourneyAsync(ResourceNames.CarrierFreightLine, booked["freightline"].TrackingNumber!);
        string[] journey = ["LABEL_CREATED", "IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "POD_AVAILABLE"];
        Assert.Equal(journey, parcelFast.Sent);
        Assert.Equal(["BKD", "DEP", "OFD", "DLV", "POD"], freightLine.Sent);

        // What the gateway let through, as the orchestrator stored it: one row per status, in the carrier's own format.
        var parcelFastRows = await InboxAsync("parcelfast", parcelFast.TrackingNumber);
        Assert.Equal(journey, parcelFastRows.Select(r => r.Body.GetProperty("status").GetString()));
        Assert.All(parcelFastRows, r => Assert.Equal(("SO-tender-journey", parcelFast.TrackingNumber), (r.Body.GetProperty("reference").GetString(), r.Body.GetProperty("trackingNumber").GetString())));
        Assert.Equal(parcelFastRows.Count, parcelFastRows.Select(r => r.Body.GetProperty("eventId").GetString()).Distinct().Count());
        Assert.False(string.IsNullOrEmpty(parcelFastRows[^1].Body.GetProperty("proofOfDelivery").GetProperty("signedBy").GetString()));

        var freightLineRows = await InboxAsync("freightline", freightLine.TrackingNumber);
        Assert.Equal(["BKD", "DEP", "OFD", "DLV", "POD"], freightLineRows.Select(r => r.Body.GetProperty("event").GetProperty("code").GetString()));
        Assert.All(freightLineRows, r => Assert.Equal("SO-tender-journey", r.Body.GetProperty("consignment").GetProperty("shipperRef").GetString()));
        Assert.All(freightLineRows, r => Assert.True(r.Body.GetProperty("messageNumber").GetInt64() > 0));
        Assert.Equal(JsonValueKind.Object, freightLineRows[^1].Body.GetProperty("proofOfDelivery").ValueKind);

        foreach (var carrier in new[] { ResourceNames.CarrierParcelFast, ResourceNames.CarrierFreightLine })
        {
            var webhooks = (await JourneysAsync(carrier)).Webhooks;
            Assert.Equal((0, 0), (webhooks.Refused, webhooks.Pending));
        }
    }

    [Fact]
    public async Task Tender_Repeated_GetsTheFirstAnswer_AndBooksOnce()
    {
        await estate.OrderToPackAsync();
        using var tms = estate.Simulator(ResourceNames.Tms);
        var tender = Tender("SO-tender-repeat", "parcelfast", "express");

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => TenderAsync(tms, tender)));
        var later = await TenderAsync(tms, tender);

        Assert.All(answers.Append(later), a => Assert.Equal((HttpStatusCode.OK, TenderAnswer.Booked), (a.Status, a.Answer.Outcome)));
        Assert.Single(answers.Append(later).Select(a => a.Answer).Distinct());
        Assert.Equal(5, answers.Append(later).Count(a => a.Replayed));
        var bookings = await estate.Simulator(ResourceNames.CarrierParcelFast).GetFromJsonAsync<BookingReport>("/carrier/api/bookings");
        Assert.Single(bookings!.Bookings, b => b.BusinessKey == "SO-tender-repeat");

        // The carrier's own booking API answers a repeat as the first time.
        using var carrier = estate.Simulator(ResourceNames.CarrierParcelFast);
        using var direct = await PostWithKeyAsync(carrier, "/carrier/api/bookings", tender);
        Assert.Equal(HttpStatusCode.Created, direct.StatusCode);
        Assert.Equal("true", direct.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(later.Answer.TrackingNumber, (await direct.Content.ReadFromJsonAsync<BookingConfirmation>())!.TrackingNumber);

        // The same tender id with another tender is a mistake, not a repeat.
        using var reused = await PostWithKeyAsync(tms, "/tms/api/tenders", tender with { WeightKg = 99 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CarrierOutage_TenderIsUnavailable_ThenTheSameTenderBooksOnceItEnds()
    {
        await estate.OrderToPackAsync();
        using var tms = estate.Simulator(ResourceNames.Tms);
        using var carrier = estate.Simulator(ResourceNames.CarrierParcelFast);
        var tender = Tender("SO-tender-outage", "parcelfast", "standard");

        var during = await WithFaultsAsync(carrier, profile => profile.Outage = true, () => TenderAsync(tms, tender));

        Assert.Equal((HttpStatusCode.OK, TenderAnswer.Unavailable), (during.Status, during.Answer.Outcome));
        Assert.Contains("503", during.Answer.Reason, StringComparison.Ordinal);
        var after = await TenderAsync(tms, tender);
        Assert.Equal(TenderAnswer.Booked, after.Answer.Outcome);
        Assert.False(after.Replayed, "an unavailable answer is not the carrier's word: the repeat asks the carrier again");
    }

    [Fact]
    public async Task CarrierRateLimit_429IsUnavailableWithRetryAfter_HonouredItBooks()
    {
        await estate.OrderToPackAsync();
        using var tms = estate.Simulator(ResourceNames.Tms);
        using var carrier = estate.Simulator(ResourceNames.CarrierFreightLine);
        var tenders = Enumerable.Range(1, 6).Select(i => Tender($"SO-tender-limit-{i}", "freightline", "economy")).ToList();

        await WithFaultsAsync(carrier, profile => profile.RateLimitPerSecond = 1, async () =>
        {
            var answers = await Task.WhenAll(tenders.Select(t => TenderAsync(tms, t)));
            Assert.Contains(answers, a => a.Answer.Outcome == TenderAnswer.Booked);
            var limited = answers.Where(a => a.Answer.Outcome == TenderAnswer.Unavailable).ToList();
            Assert.NotEmpty(limited);
            Assert.All(limited, a => Assert.Contains("429", a.Answer.Reason, StringComparison.Ordinal));
            Assert.All(limited, a => Assert.True(a.Answer.RetryAfterSeconds >= 1, "Retry-After passed on"));

            // Coming back when told, one at a time, gets each booked under the limit.
            foreach (var unavailable in limited)
            {
                await Task.Delay(TimeSpan.FromSeconds(unavailable.Answer.RetryAfterSeconds!.Value));
                var retried = await TenderAsync(tms, tenders.Single(t => t.TenderId == unavailable.Answer.TenderId));
                Assert.Equal(TenderAnswer.Booked, retried.Answer.Outcome);
            }
        });
    }

    [Fact]
    public async Task TenderRejectedByTheFirstCarrier_TheAlternateBooks()
    {
        await estate.OrderToPackAsync();
        using var tms = estate.Simulator(ResourceNames.Tms);
        using var carrier = estate.Simulator(ResourceNames.CarrierParcelFast);

        var rejected = await WithFaultsAsync(carrier, profile => profile.TenderRejectionRate = 1, () => TenderAsync(tms, Tender("SO-tender-reject", "parcelfast", "standard")));
        var alternate = await TenderAsync(tms, Tender("SO-tender-reject", "freightline", "standard"));

        Assert.Equal(TenderAnswer.Rejected, rejected.Answer.Outcome);
        Assert.Contains(rejected.Answer.Reason, new[] { "capacity", "weight", "lane" });
        Assert.Equal(TenderAnswer.Booked, alternate.Answer.Outcome);
    }

    [Fact]
    public async Task Tms_BadInputOutageAndErrors_AreProblemDetails()
    {
        await estate.OrderToPackAsync();
        using var tms = estate.Simulator(ResourceNames.Tms);

        using var invalid = await PostWithKeyAsync(tms, "/tms/api/tenders", new TenderRequest(Guid.NewGuid(), null, "", "dhl", "standard", null, null, 0), key: "not-the-tender-id");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["Idempotency-Key", "businessKey", "carrierId", "promisedBy", "shipTo", "shipmentId", "weightKg"],
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        using var badRates = await tms.GetAsync("/tms/api/rates?serviceLevel=overnight&country=Germany&weightKg=-1");
        Assert.Equal(HttpStatusCode.BadRequest, badRates.StatusCode);
        Assert.Equal(4, (await badRates.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Count());

        await WithFaultsAsync(tms, profile => profile.Outage = true, async () =>
        {
            using var down = await PostWithKeyAsync(tms, "/tms/api/tenders", Tender("SO-tender-tms-down", "parcelfast", "standard"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        });
        await WithFaultsAsync(tms, profile => profile.ErrorRate = 1, async () =>
        {
            using var failing = await tms.GetAsync("/tms/api/rates?businessKey=SO-1&serviceLevel=standard&country=DE&weightKg=1");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        });
    }

    [Fact]
    public async Task CarrierBookingApi_BadTenderOutageAndRateLimit_AreProblemDetailsWithRetryAfter_LabelsByTrackingNumber()
    {
        await estate.OrderToPackAsync();
        using var carrier = estate.Simulator(ResourceNames.CarrierParcelFast);

        using var invalid = await PostWithKeyAsync(carrier, "/carrier/api/bookings", Tender("SO-booking-api", "parcelfast", "standard") with { ShipTo = null });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["shipTo"], (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        await WithFaultsAsync(carrier, profile => profile.Outage = true, async () =>
        {
            using var down = await PostWithKeyAsync(carrier, "/carrier/api/bookings", Tender("SO-booking-api", "parcelfast", "standard"));
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (down.StatusCode, down.Content.Headers.ContentType?.MediaType));
            Assert.NotNull(down.Headers.RetryAfter);
        });
        await WithFaultsAsync(carrier, profile => profile.RateLimitPerSecond = 1, async () =>
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostWithKeyAsync(carrier, "/carrier/api/bookings", Tender("SO-booking-api", "parcelfast", "standard"))));
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests && r.Headers.RetryAfter?.Delta == TimeSpan.FromSeconds(1));
            Array.ForEach(responses, r => r.Dispose());
        });

        using var booked = await PostWithKeyAsync(carrier, "/carrier/api/bookings", Tender("SO-booking-api", "parcelfast", "standard"));
        var confirmation = await booked.Content.ReadFromJsonAsync<BookingConfirmation>();
        var label = await carrier.GetStringAsync($"/carrier/api/labels/{confirmation!.TrackingNumber}");
        Assert.StartsWith("^XA", label, StringComparison.Ordinal);
        Assert.Contains(confirmation.TrackingNumber, label, StringComparison.Ordinal);
        using var unknown = await carrier.GetAsync("/carrier/api/labels/PF0000000000");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (unknown.StatusCode, unknown.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task CarrierWebhookFaults_DelaysFailedAttemptsRepeatsReorderAndStorms_EachStatusStoredOnceByItsEventId()
    {
        await estate.OrderToPackAsync();
        using var tms = estate.Simulator(ResourceNames.Tms);
        using var carrier = estate.Simulator(ResourceNames.CarrierFreightLine);
        var faults = new FaultProfile { DelayRate = 1, FailedAttemptRate = 1, DuplicateRate = 0.5, ReorderRate = 1, StormRate = 0.3 };

        var answer = await WithFaultsAsync(carrier, profile => faults.CopyTo(profile), () => TenderAsync(tms, Tender("SO-tender-faults", "freightline", "standard")));
        var journey = await CompletedJourneyAsync(ResourceNames.CarrierFreightLine, answer.Answer.TrackingNumber!);

        // The plan the carrier drew from the seed and the tracking number (the faults do not depend on the booking time).
        var plan = JourneyPlan.For(Seed, CarrierIdentity.For(ResourceNames.CarrierFreightLine,
            new CarrierOptions { ApiKey = TestPartnerKeys.CarrierFreightLine, WebhookSecret = TestPartnerKeys.CarrierFreightLineWebhookSecret }), new Booking(
            answer.Answer.TenderId, Guid.NewGuid(), "SO-tender-faults", "standard", PromisedBy, new ShipToAddress("x", "y", "Köln", "50667", "DE"), 1,
            answer.Answer.BookingReference!, answer.Answer.TrackingNumber!, "", answer.Answer.EstimatedDeliveryAt!.Value, DateTimeOffset.UtcNow), faults);
        Assert.True(journey is { Delayed: true, FailedAttempt: true, Reordered: true });
        Assert.Equal(["BKD", "DEP", "DLY", "DEP", "OFD", "NDL", "OFD", "DLV", "POD"], plan.Steps.Select(s => new FreightLineFormat().Code(s.Status)));
        Assert.Equal(plan.Sends.Select(s => new FreightLineFormat().Code(s.Step.Status)), journey.Sent);

        var rows = await InboxAsync("freightline", journey.TrackingNumber);
        var statuses = rows.GroupBy(r => r.Body.GetProperty("messageNumber").GetInt64()).ToList();
        Assert.Equal(plan.Steps.Count, statuses.Count);
        Assert.All(statuses, s => Assert.Single(s.Select(r => r.Body.GetRawText()).Distinct()));
        var webhooks = (await JourneysAsync(ResourceNames.CarrierFreightLine)).Webhooks;
        Assert.True(webhooks.Duplicates + webhooks.Resends + webhooks.StormResends > 0, "no repeat was sent");
        Assert.Equal((0, 0), (webhooks.Refused, webhooks.Pending));
        var delay = statuses.Single(s => s.First().Body.GetProperty("event").GetProperty("code").GetString() == "DLY").First().Body;
        Assert.Equal(plan.Steps.Single(s => s.Status == JourneyStatus.Delayed).RevisedEta!.Value.UtcDateTime, delay.GetProperty("event").GetProperty("revisedEta").GetDateTime());
    }

    // FreightLine's standard service takes 3 to 5 days: a promise 5 days out leaves it a few hours' slack.
    private static readonly DateTimeOffset PromisedBy = new(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(5).AddHours(17), TimeSpan.Zero);

    private static TenderRequest Tender(string businessKey, string carrierId, string serviceLevel) => new(
        Guid.NewGuid(), Guid.NewGuid(), businessKey, carrierId, serviceLevel, PromisedBy,
        new ShipToAddress("Kaufhaus Nord", "Hohe Straße 1", "Köln", "50667", "DE"), 4.2m);

    private static async Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string path, TenderRequest tender, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(tender) };
        request.Headers.Add(TenderRequest.IdempotencyKeyHeader, key ?? tender.TenderId.ToString());
        return await client.SendAsync(request);
    }

    private static async Task<(HttpStatusCode Status, TenderAnswer Answer, bool Replayed)> TenderAsync(HttpClient tms, TenderRequest tender)
    {
        using var response = await PostWithKeyAsync(tms, "/tms/api/tenders", tender);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<TenderAnswer>())!, response.Headers.Contains("Idempotent-Replayed"));
    }

    private async Task<JourneyReport> JourneysAsync(string carrier) =>
        (await estate.Simulator(carrier).GetFromJsonAsync<JourneyReport>("/carrier/journeys"))!;

    private async Task<JourneyView> CompletedJourneyAsync(string carrier, string trackingNumber)
    {
        JourneyView? journey = null;
        await Eventually.UntilAsync(async () => (journey = (await JourneysAsync(carrier)).Shipments.SingleOrDefault(j => j.TrackingNumber == trackingNumber)) is { Completed: true },
            JourneyTimeout, $"{carrier} completed the journey of {trackingNumber}");
        return journey!;
    }

    /// <summary>The inbox rows of one shipment, in the order the orchestrator stored them.</summary>
    private async Task<List<(string WebhookId, JsonElement Body)>> InboxAsync(string carrierId, string trackingNumber) => await estate.QueryAsync(
        "SELECT webhook_id, convert_from(body, 'UTF8') FROM carrier_webhook_inbox WHERE carrier_id = $1 AND position($2 in convert_from(body, 'UTF8')) > 0 ORDER BY id",
        r => (r.GetString(0), JsonDocument.Parse(r.GetString(1)).RootElement.Clone()), carrierId, trackingNumber);
}
