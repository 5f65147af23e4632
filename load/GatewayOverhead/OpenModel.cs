using LogisticsSync.LoadRunner.Measurement;
using LogisticsSync.LoadRunner.Running;
using LogisticsSync.LoadRunner.Scenarios;
using LogisticsSync.LoadRunner.Simulations;

namespace LogisticsSync.Load.GatewayOverhead;

/// <summary>A fixed arrival rate on one path, measured by the load runner (latency from each request's intended start).</summary>
internal static class OpenModel
{
    public static async Task<LoadTestResult> RunAsync(ProxyPath path, double rate, TimeSpan duration, TimeSpan warmUp)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 512 })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        var scenario = new Scenario(path.Slug, async context =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path.Url);
            foreach (var (name, value) in path.Headers)
            {
                request.Headers.Add(name, value);
            }

            using var response = await client.SendAsync(request, context.CancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(context.CancellationToken);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return response.IsSuccessStatusCode ? StepResult.Ok(status, bytesReceived: body.Length) : StepResult.Fail(status, bytesReceived: body.Length);
        });
        var options = new LoadTestOptions
        {
            Title = $"Gateway overhead: {path.Name} at {rate:0}/s",
            WarmUp = warmUp,
            Percentiles = [50, 90, 99, 99.9],
        };
        return await LoadTest.RunAsync([new ScenarioRun(scenario, [new ConstantRate(rate, duration)], MaxConcurrency: 256)], options);
    }
}
