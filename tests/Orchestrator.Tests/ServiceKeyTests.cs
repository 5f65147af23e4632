using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Orchestrator.Tests.Flows;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Orchestrator.Tests;

/// <summary>
/// The orchestrator answers the estate's services only (Program.cs, <c>UseServiceKey</c>): every API path, the internal
/// OpenAPI document and the carrier webhooks included, needs the estate's key; health and liveness do not.
/// </summary>
[Collection(FlowsCollection.Name)]
public sealed class ServiceKeyTests(FlowsEstateFixture estate)
{
    public static TheoryData<string, string> ApiCalls => new()
    {
        { "GET", "/api/v2/estate/ping" },
        { "GET", "/api/v1/shipments/by-business-key/SO-no-key" },
        { "POST", "/api/v2/shipments" },
        { "POST", "/api/v1/carrier-webhooks/parcelfast" },
        { "POST", "/api/v2/dead-letters/replay" },
        { "GET", "/openapi/v1.json" },
        { "GET", "/api/v2/no-such-path" },
    };

    [Theory]
    [MemberData(nameof(ApiCalls))]
    public async Task Api_WithoutServiceKey_Answers401Problem(string method, string path)
    {
        using var client = Keyless();

        using var response = await client.SendAsync(Call(method, path));

        await AssertRefusedAsync(response);
    }

    [Theory]
    [MemberData(nameof(ApiCalls))]
    public async Task Api_WithWrongServiceKey_Answers401Problem(string method, string path)
    {
        using var client = Keyless();
        using var request = Call(method, path);
        request.Headers.Add(ServiceKeyConvention.HeaderName, estate.App.ServiceKey[..^1]);

        using var response = await client.SendAsync(request);

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task Api_WithServiceKey_IsServedOnEveryReplica()
    {
        foreach (var replica in new[] { 0, 1 })
        {
            using var client = estate.Replica(replica);

            using var ping = await client.GetAsync("/api/v2/estate/ping");
            var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
            Assert.True(document.GetProperty("paths").EnumerateObject().Any());
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task HealthAndLiveness_WithoutServiceKey_StayOpen(string path)
    {
        using var client = Keyless();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private HttpClient Keyless() => estate.App.CreateKeylessHttpClient(ResourceNames.Orchestrator);

    private static HttpRequestMessage Call(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
        Headers = { { ForwardedClient.HeaderName, "erp" } },
    };

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }
}
