using System.Diagnostics.Metrics;
using System.Net;
using LogisticsSync.Orchestrator.Partners;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;

namespace LogisticsSync.Orchestrator.Tests.Partners;

public sealed class PartnerPipelineTests
{
    [Fact]
    public async Task Pipeline_PartnerKeepsFailing_OpensItsCircuit_AndTheGaugeSaysOpenForThatPartnerOnly()
    {
        await using var services = Services(breakDuration: TimeSpan.FromSeconds(30));
        var tms = Pipeline(services, PartnerNames.Tms);
        Pipeline(services, PartnerNames.Erp);
        var calls = 0;

        for (var i = 0; i < 6; i++)
        {
            try
            {
                using var response = await tms.ExecuteAsync(_ =>
                {
                    calls++;
                    return ValueTask.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
                });
            }
            catch (BrokenCircuitException)
            {
                // Opened during this call's retries.
            }
        }

        Assert.Equal(CircuitState.Open, services.GetRequiredService<PartnerCircuits>().StateOf(PartnerNames.Tms));
        var callsBeforeOpen = calls;
        await Assert.ThrowsAsync<BrokenCircuitException>(async () => await tms.ExecuteAsync(_ =>
        {
            calls++;
            return ValueTask.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }));
        Assert.Equal(callsBeforeOpen, calls);
        var gauge = ReadCircuitGauge(services);
        Assert.Equal(2, gauge[PartnerNames.Tms]);
        Assert.Equal(0, gauge[PartnerNames.Erp]);
    }

    [Fact]
    public async Task Pipeline_TransientFailure_IsRetriedWithinTheCall()
    {
        await using var services = Services(breakDuration: TimeSpan.FromSeconds(30));
        var erp = Pipeline(services, PartnerNames.Erp);
        var calls = 0;

        using var response = await erp.ExecuteAsync(_ => ValueTask.FromResult(new HttpResponseMessage(
            ++calls == 1 ? HttpStatusCode.InternalServerError : HttpStatusCode.Created)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task SendAsync_ServiceUnavailableWithRetryAfter_IsUnavailableAndCarriesTheWait()
    {
        var answer = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(42));

        var error = await Assert.ThrowsAsync<PartnerUnavailableException>(() => PartnerUnavailableException.SendAsync(PartnerNames.Erp, () => Task.FromResult(answer)));

        Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(TimeSpan breakDuration)
    {
        var services = new ServiceCollection().AddMetrics().AddSingleton<PartnerCircuits>();
        foreach (var partner in new[] { PartnerNames.Tms, PartnerNames.Erp })
        {
            services.Configure<PartnerOptions>(partner, options =>
            {
                options.Retries = 1;
                options.RetryDelay = TimeSpan.FromMilliseconds(1);
                options.MinimumThroughput = 4;
                options.BreakDuration = breakDuration;
            });
        }

        return services.BuildServiceProvider();
    }

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(IServiceProvider services, string partner)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        PartnerPipeline.Configure(builder, partner, services);
        return builder.Build();
    }

    private static Dictionary<string, int> ReadCircuitGauge(IServiceProvider services)
    {
        var circuits = services.GetRequiredService<PartnerCircuits>();
        var values = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "logistics.partner.circuit_state" && instrument.Meter.Scope == services.GetRequiredService<IMeterFactory>())
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "partner")
                {
                    values[(string)tag.Value!] = value;
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        GC.KeepAlive(circuits);
        return values;
    }
}
