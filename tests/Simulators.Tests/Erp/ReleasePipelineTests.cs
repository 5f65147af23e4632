using System.Diagnostics.Metrics;
using System.Net;
using LogisticsSync.Simulators.Data;
using LogisticsSync.Simulators.Erp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace LogisticsSync.Simulators.Tests.Erp;

public sealed class ReleasePipelineTests
{
    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.Conflict, true)]
    [InlineData(HttpStatusCode.Created, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    public void IsTransient_RetriesWhatRetryingCanChange(HttpStatusCode status, bool transient)
    {
        Assert.Equal(transient, ReleasePipeline.IsTransient(status));
    }

    [Fact]
    public void Backoff_DoublesPerAttempt_WithSeededJitterInTheUpperHalf()
    {
        var first = TimeSpan.FromMilliseconds(200);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var exponential = first * Math.Pow(2, attempt);
            var delay = ReleasePipeline.Backoff(first, attempt, 7, "SO-1");
            Assert.InRange(delay, exponential / 2, exponential);
            Assert.Equal(delay, ReleasePipeline.Backoff(first, attempt, 7, "SO-1"));
        }

        Assert.NotEqual(ReleasePipeline.Backoff(first, 1, 7, "SO-1"), ReleasePipeline.Backoff(first, 1, 7, "SO-2"));
    }

    [Fact]
    public async Task Pipeline_BareSocketAndIoFailures_AreRetriedLikeAnyTransportFailure()
    {
        // The socket handler lets these through unwrapped when the gateway goes away mid-connect; retrying only
        // HttpRequestException once gave two orders up for good in the go-live chaos run.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new ErpOptions { MaxRetryAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(1) }));
        services.AddSingleton(new SimulationSeed(1, Configured: true));
        services.AddResiliencePipeline<string, HttpResponseMessage>(ReleasePipeline.Name, (pipeline, context) => ReleasePipeline.Configure(pipeline, context.ServiceProvider));
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(ReleasePipeline.Name);
        var attempts = 0;

        using var response = await pipeline.ExecuteAsync(_ => ++attempts switch
        {
            1 => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected),
            2 => throw new IOException("Unable to read data from the transport connection"),
            _ => ValueTask.FromResult(new HttpResponseMessage(HttpStatusCode.Created)),
        });

        Assert.Equal((HttpStatusCode.Created, 3), (response.StatusCode, attempts));
    }

    [Fact]
    public async Task Pipeline_AttemptsThatTimeOut_AreRetried_AndShowInPollysMetrics()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new ErpOptions
        {
            AttemptTimeout = TimeSpan.FromMilliseconds(100),
            MaxRetryAttempts = 3,
            RetryDelay = TimeSpan.FromMilliseconds(1),
        }));
        services.AddSingleton(new SimulationSeed(1, Configured: true));
        services.AddResiliencePipeline<string, HttpResponseMessage>(ReleasePipeline.Name, (pipeline, context) => ReleasePipeline.Configure(pipeline, context.ServiceProvider));
        await using var provider = services.BuildServiceProvider();
        var events = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Meter.Name == "Polly")
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (instrument.Name == "resilience.polly.strategy.events" && tag.Key == "event.name")
                {
                    lock (events)
                    {
                        events.Add((string)tag.Value!);
                    }
                }
            }
        });
        listener.Start();
        var pipeline = provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(ReleasePipeline.Name);
        var attempts = 0;

        using var response = await pipeline.ExecuteAsync(async cancellationToken =>
        {
            // The first two answers never come (a lost response); the third does.
            if (++attempts < 3)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.Created);
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(3, attempts);
        lock (events)
        {
            Assert.Equal(2, events.Count(e => e == "OnTimeout"));
            Assert.Equal(2, events.Count(e => e == "OnRetry"));
        }
    }
}
