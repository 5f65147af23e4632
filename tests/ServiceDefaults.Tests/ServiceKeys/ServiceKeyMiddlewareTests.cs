using System.Net;
using System.Text.Json;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.ServiceKeys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LogisticsSync.ServiceDefaults.Tests.ServiceKeys;

/// <summary>A real Kestrel service on loopback with the service defaults, its <c>/internal</c> paths behind the key.</summary>
public sealed class ServiceKeyMiddlewareTests : IAsyncLifetime
{
    private const string Key = "test-service-key-4Jd8s";
    private WebApplication _app = null!;
    private HttpClient _keyless = null!;

    public async Task InitializeAsync()
    {
        _app = await StartAsync(Key);
        _keyless = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _keyless.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ProtectedPath_WithoutKey_Answers401Problem()
    {
        using var response = await _keyless.GetAsync("/internal/ping");

        await AssertRefusedAsync(response, "Service key required");
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("test-service-key-4Jd8")]
    [InlineData("Test-service-key-4Jd8s")]
    public async Task ProtectedPath_WithWrongKey_Answers401Problem(string presented)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/INTERNAL/ping") { Headers = { { ProtocolHeaders.ServiceKey, presented } } };
        using var response = await _keyless.SendAsync(request);

        await AssertRefusedAsync(response, "Wrong service key");
    }

    [Fact]
    public async Task ProtectedPath_WithKey_IsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/ping") { Headers = { { ProtocolHeaders.ServiceKey, Key } } };
        using var response = await _keyless.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/open/ping")]
    public async Task HealthAndUnprotectedPaths_WithoutKey_StayOpen(string path)
    {
        using var response = await _keyless.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HttpClientFromTheFactory_SendsTheKey_ReplacingOneSetOnTheRequest()
    {
        using var client = _app.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(_app.Urls.First()), "/internal/ping"))
        {
            Headers = { { ProtocolHeaders.ServiceKey, "someone-elses" } },
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ServiceWithoutAKey_RefusesEveryProtectedCall_EvenAnEmptyKey()
    {
        await using var unkeyed = await StartAsync(key: null);
        using var client = new HttpClient { BaseAddress = new Uri(unkeyed.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/ping") { Headers = { { ProtocolHeaders.ServiceKey, "" } } };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string title)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(ProtocolHeaders.ServiceKey, response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.DoesNotContain(Key, problem.RootElement.ToString(), StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(string? key)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (key is not null)
        {
            builder.Configuration[ServiceKey.ConfigurationKey] = key;
        }

        builder.AddServiceDefaults();
        var app = builder.Build();
        app.UseServiceKey("/internal");
        app.MapDefaultEndpoints();
        app.MapGet("/internal/ping", () => "pong");
        app.MapGet("/open/ping", () => "pong");
        await app.StartAsync();
        return app;
    }
}
