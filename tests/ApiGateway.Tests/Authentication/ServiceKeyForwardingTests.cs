using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.ServiceDefaults.Protocol;
using LogisticsSync.ServiceDefaults.ServiceKeys;

namespace LogisticsSync.ApiGateway.Tests.Authentication;

/// <summary>
/// Partners never hold the estate's service key: the gateway adds it to what it proxies (the orchestrator refuses
/// anything without it) and replaces whatever a partner sent under that name, so a forged or leaked key is never
/// passed on as the partner's.
/// </summary>
[Collection(GatewayEstateCollection.Name)]
public sealed class ServiceKeyForwardingTests(GatewayEstateFixture estate)
{
    [Fact]
    public void ServiceKeyNames_AreTheSameInTheEngineAndTheServiceDefaults()
    {
        Assert.Equal(ServiceKeyConvention.HeaderName, ProtocolHeaders.ServiceKey);
        Assert.Equal(ServiceKeyConvention.EnvironmentVariable, ServiceKey.ConfigurationKey.Replace(":", "__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PartnerRequest_WithoutServiceKey_IsProxiedWithTheEstatesKey()
    {
        using var portal = estate.Gateway(TestPartnerKeys.Portal);

        using var response = await portal.GetAsync("/api/v2/estate/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("forged-by-a-partner")]
    [InlineData("")]
    public async Task PartnerRequest_WithItsOwnServiceKey_HasItReplacedByTheGateway(string forged)
    {
        using var portal = estate.Gateway(TestPartnerKeys.Portal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/estate/ping");
        request.Headers.TryAddWithoutValidation(ProtocolHeaders.ServiceKey, forged);

        using var response = await portal.SendAsync(request);

        // Had the partner's value been forwarded, the orchestrator would have refused it (401).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PartnerRequest_WithTheRealServiceKeyButNoApiKey_IsStillRefusedAtTheEdge()
    {
        using var anonymous = estate.Gateway(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/estate/ping");
        request.Headers.Add(ProtocolHeaders.ServiceKey, estate.App.ServiceKey);

        using var response = await anonymous.SendAsync(request);

        // The service key opens internal APIs only; the edge asks every caller for a partner key.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("API key required", problem.GetProperty("title").GetString());
    }
}
