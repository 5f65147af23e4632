using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.ApiGateway.Tests.Throttling;

/// <summary>
/// The tiny tier holds 5 tokens and refills one a minute, so a burst of 12 sent within seconds must
/// see exactly 5 pass and 7 refused, whichever replica each request meets.
/// </summary>
[Collection(GatewayEstateCollection.Name)]
public sealed class ClientThrottlingTests(GatewayEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private const int Burst = 12;
    private const string Path = "/api/v2/estate/ping";
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    [Fact]
    public async Task Burst_AboveTheLimit_Yields429sMatchingTheBucket()
    {
        using var client = estate.Gateway(GatewayEstateFixture.TinyClientKey("throttleburst"));

        var responses = await SendBurstAsync(_ => client);

        Assert.Equal(GatewayEstateFixture.TinyTokenLimit, responses.Count(r => r.StatusCode != HttpStatusCode.TooManyRequests));
        // The first 5 pass, then everything is refused: a token bucket, not a window that happens to reset.
        Assert.All(responses.Take(GatewayEstateFixture.TinyTokenLimit), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses.Skip(GatewayEstateFixture.TinyTokenLimit), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        // Whole tokens left after each passing request: 4, 3, 2, 1, 0; a refill takes a minute.
        Assert.Equal(["r=4", "r=3", "r=2", "r=1", "r=0"], responses.Take(GatewayEstateFixture.TinyTokenLimit).Select(r => Field(r, "RateLimit", "r")));
        Assert.All(responses, r => Assert.Equal("\"tiny\";q=5;w=300", r.Headers.GetValues("RateLimit-Policy").Single()));

        var refused = responses.Last();
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("shared", problem.GetProperty("enforcement").GetString());
        Dispose(responses);
    }

    [Fact]
    public async Task TwoReplicas_EnforceOneSharedLimit()
    {
        var key = GatewayEstateFixture.TinyClientKey("throttleshared");
        using var first = estate.Gateway(key, replica: 0);
        using var second = estate.Gateway(key, replica: 1);

        // Alternating: each replica alone would let 5 through, 10 together.
        var responses = await SendBurstAsync(i => i % 2 == 0 ? first : second);

        var passed = responses.Select((r, i) => (r, i)).Where(x => x.r.StatusCode == HttpStatusCode.OK).Select(x => x.i % 2).ToList();
        Assert.Equal(GatewayEstateFixture.TinyTokenLimit, passed.Count);
        Assert.Contains(0, passed);
        Assert.Contains(1, passed);
        Assert.Equal(Burst - GatewayEstateFixture.TinyTokenLimit, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        Dispose(responses);
    }

    [Fact]
    public async Task RedisDown_FallsBackToLocalShare_SaysDegraded_AndReturnsWhenRedisIsBack()
    {
        using var client = estate.Gateway(GatewayEstateFixture.TinyClientKey("throttlefallback"));

        await estate.WithRedisStoppedAsync(async () =>
        {
            var health = await estate.HealthAsync();
            Assert.Contains("Redis unreachable", health.GetProperty("entries").GetProperty("throttling").GetProperty("description").GetString(), StringComparison.Ordinal);

            var responses = await SendBurstAsync(_ => client);

            // Each of the 2 replicas holds 1/2 of the limit while alone: 5 / 2 → 2 tokens here.
            var localShare = GatewayEstateFixture.TinyTokenLimit / GatewayEstateFixture.GatewayReplicas;
            Assert.Equal(localShare, responses.Count(r => r.StatusCode != HttpStatusCode.TooManyRequests));
            Assert.All(responses, r => Assert.StartsWith("\"tiny-local\";q=2;", r.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal));
            var problem = await responses.Last().Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("local-fallback", problem.GetProperty("enforcement").GetString());
            Assert.Contains(estate.App.Logs.Tail(ResourceNames.Gateway), l => l.Text.Contains("Throttling falls back to local token buckets", StringComparison.Ordinal));
            Dispose(responses);
        });

        // Both replicas are Healthy again (checked on the way out): the next request uses the shared bucket.
        using var back = await client.GetAsync(Path);
        Assert.Equal("\"tiny\";q=5;w=300", back.Headers.GetValues("RateLimit-Policy").Single());
    }

    public void Dispose() => _logs.Dispose();

    // Sequential on purpose: the bucket maths is about how many pass, not about racing requests.
    private static async Task<List<HttpResponseMessage>> SendBurstAsync(Func<int, HttpClient> clientFor)
    {
        var responses = new List<HttpResponseMessage>(Burst);
        for (var i = 0; i < Burst; i++)
        {
            responses.Add(await clientFor(i).GetAsync(Path));
        }

        return responses;
    }

    private static string Field(HttpResponseMessage response, string header, string parameter) =>
        response.Headers.GetValues(header).Single().Split(';').Single(part => part.StartsWith(parameter + "=", StringComparison.Ordinal));

    private static void Dispose(List<HttpResponseMessage> responses) => responses.ForEach(r => r.Dispose());
}
