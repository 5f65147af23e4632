using LogisticsSync.Tests.Shared;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Webhooks;
using LogisticsSync.Simulators.Carriers;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Faults;
using LogisticsSync.Simulators.Roles;
using LogisticsSync.Simulators.Telemetry;
using LogisticsSync.Simulators.Tms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly;
using static LogisticsSync.Simulators.Tests.Carriers.CarrierTestData;

namespace LogisticsSync.Simulators.Tests.Carriers;

/// <summary>The journey driver on a clock that moves only when told, against a recording stand-in for the gateway.</summary>
public sealed class JourneyDriverTests
{
    private const int Seed = 11;
    private const double TimeScale = 3600;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Start_SendsEachStatusOnlyWhenItsScaledTimeComes_SignedFresh_RepeatsAsPlanned()
    {
        var time = new FakeTimeProvider(Now);
        var gateway = new RecordingGateway(time);
        await using var services = Services(time, gateway, new FaultProfile { DuplicateRate = 1 });
        var booking = Booking.Create(Seed, FreightLine, FreightLine.Carrier.ServiceLevels[0], Tender(1, "freightline"), time.GetUtcNow());
        var plan = JourneyPlan.For(Seed, FreightLine, booking, services.GetRequiredService<FaultInjector>().Current);
        var clock = services.GetRequiredService<SimulationClock>();

        services.GetRequiredService<JourneyDriver>().Start(plan);

        // Every status is repeated (duplicateRate 1): two deliveries each, none before its simulated time.
        var expected = 0;
        foreach (var send in plan.Sends)
        {
            var due = booking.BookedAt + clock.ToReal(send.SendAt - booking.BookedAt);
            if (due - TimeSpan.FromMilliseconds(1) > time.GetUtcNow())
            {
                time.SetUtcNow(due - TimeSpan.FromMilliseconds(1));
                await Task.Delay(50);
                Assert.Equal(expected, gateway.Requests.Count);
                time.SetUtcNow(due);
            }

            expected += 2;
            await UntilAsync(() => gateway.Requests.Count == expected);
        }

        var requests = gateway.Requests.ToList();
        Assert.Equal(plan.Sends.Select(s => FreightLine.Format.Code(s.Step.Status)), requests.Where((_, i) => i % 2 == 0).Select(r => r.Body.GetProperty("event").GetProperty("code").GetString()));
        var key = StandardWebhookSignature.KeyOf(TestPartnerKeys.CarrierFreightLineWebhookSecret);
        Assert.All(requests, r => Assert.True(StandardWebhookSignature.Verify(key, r.WebhookId, r.Timestamp, r.Raw, r.Signature)));
        Assert.All(requests, r => Assert.Equal(r.SentAt.ToUnixTimeSeconds(), r.Timestamp));
        Assert.All(requests, r => Assert.Equal((TestPartnerKeys.CarrierFreightLine, "/webhooks/carriers/freightline"), (r.ApiKey, r.Path)));
        for (var i = 0; i < requests.Count; i += 2)
        {
            var (first, repeat) = (requests[i], requests[i + 1]);
            Assert.Equal(first.Raw, repeat.Raw);
            var step = plan.Sends[i / 2].Step;
            Assert.Equal(step.Repeat == Repeat.SameWebhookId, first.WebhookId == repeat.WebhookId);
        }

        var report = services.GetRequiredService<JourneyDriver>().Report();
        Assert.True(report.Shipments.Single().Completed);
        Assert.Equal((plan.Steps.Count, plan.Steps.Count), (report.Webhooks.First, report.Webhooks.Duplicates + report.Webhooks.Resends));
    }

    [Fact]
    public async Task Deliver_GatewayDownOrThrottling_RetriesHonouringRetryAfter_ThenKeepsItQueuedUntilTaken()
    {
        var time = new FakeTimeProvider(Now);
        var gateway = new RecordingGateway(time, failFirst: 7);
        await using var services = Services(time, gateway, new FaultProfile(), new CarrierOptions { MaxRetryAttempts = 2, RetryRoundDelay = TimeSpan.FromSeconds(2) });
        var sender = services.GetRequiredService<WebhookSender>();

        var delivery = sender.DeliverAsync(new OutgoingWebhook("msg_retry", """{"status":"IN_TRANSIT"}"""u8.ToArray(), WebhookKinds.First, "FL-1"), CancellationToken.None);
        // Three attempts a round (1 + 2 retries, each after the gateway's Retry-After: 1 s), then a 2 s pause, three more.
        for (var i = 0; i < 40 && !delivery.IsCompleted; i++)
        {
            await Task.Delay(20);
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(await delivery);
        Assert.Equal(8, gateway.Requests.Count);
        Assert.Single(gateway.Requests.Select(r => r.WebhookId).Distinct());
        var report = sender.Report();
        Assert.Equal((1L, 0L, 2L), (report.Delivered, report.Pending, report.Rounds));
        // Honoured: no retry came sooner than the gateway's Retry-After of one second.
        var gaps = gateway.Requests.Zip(gateway.Requests.Skip(1), (a, b) => b.SentAt - a.SentAt);
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromSeconds(1), $"retried after {gap}"));
    }

    private static ServiceProvider Services(FakeTimeProvider time, RecordingGateway gateway, FaultProfile faults, CarrierOptions? options = null)
    {
        var services = new ServiceCollection();
        services.AddLogging().AddMetrics();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(Options.Create(new SimulatorOptions { Role = ResourceNames.CarrierFreightLine, TimeScale = TimeScale }));
        services.AddSingleton(new SimulationSeed(Seed, Configured: true));
        services.AddSingleton<SimulationClock>();
        services.AddOptions<FaultProfile>().Configure(faults.CopyTo);
        services.AddSingleton<FaultInjector>();
        services.AddSingleton(Options.Create(options ?? new CarrierOptions()));
        services.AddSingleton(FreightLine);
        services.AddSingleton<SimulatorMetrics>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<JourneyDriver>();
        services.AddSingleton<IHostApplicationLifetime, Lifetime>();
        services.AddResiliencePipeline<string, HttpResponseMessage>(WebhookSender.PipelineName, (pipeline, context) => WebhookSender.ConfigurePipeline(pipeline, context.ServiceProvider));
        services.AddHttpClient(WebhookSender.HttpClientName, http => http.BaseAddress = new Uri("http://gateway")).ConfigurePrimaryHttpMessageHandler(() => gateway);
        return services.BuildServiceProvider();
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Settle);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private sealed record Received(string Path, string ApiKey, string WebhookId, long Timestamp, string Signature, byte[] Raw, JsonElement Body, DateTimeOffset SentAt);

    /// <summary>Answers 202 (or 503 and 429 with <c>Retry-After: 1</c> for the first few), recording what it was sent and when.</summary>
    private sealed class RecordingGateway(TimeProvider time, int failFirst = 0) : HttpMessageHandler
    {
        public ConcurrentQueue<Received> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var raw = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            string Header(string name) => request.Headers.GetValues(name).Single();
            Requests.Enqueue(new Received(request.RequestUri!.AbsolutePath, Header("X-Api-Key"), Header("webhook-id"), long.Parse(Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture),
                Header("webhook-signature"), raw, JsonDocument.Parse(raw).RootElement.Clone(), time.GetUtcNow()));
            if (Requests.Count <= failFirst)
            {
                // Down or throttling, alternately: both say when to come back.
                var refused = new HttpResponseMessage(Requests.Count % 2 == 0 ? HttpStatusCode.TooManyRequests : HttpStatusCode.ServiceUnavailable);
                refused.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                return refused;
            }

            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
