using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Tests.Shared;
using Xunit.Abstractions;

namespace LogisticsSync.AppHost.Tests.EndToEnd;

/// <summary>
/// An estate given no credentials generates its own per state folder: the gateway accepts the generated keys and
/// no fixed one, it is given only their hashes, and the control API hands them to a token holder (<c>./estate keys</c>).
/// </summary>
public sealed class GeneratedPartnerCredentialsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Estate_WithoutGivenKeys_GeneratesThem_GatewayTakesOnlyThose_AndOnlyTheirHashes()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--orchestrator-replicas", "1");
        builder.KeepOnly(ResourceNames.Gateway, ResourceNames.Orchestrator);
        await using var app = await builder.StartHealthyAsync(output.WriteLine);
        var portalKey = app.GetParameterValue(PartnerCredentials.PortalApiKey);
        using var gateway = app.CreateKeylessHttpClient(ResourceNames.Gateway);

        var generated = await PingAsync(gateway, portalKey);
        var fixedTestKey = await PingAsync(gateway, TestPartnerKeys.Portal);

        Assert.Equal(HttpStatusCode.OK, generated);
        Assert.Equal(HttpStatusCode.Unauthorized, fixedTestKey);
        Assert.Equal(32, portalKey.Length);
        Assert.StartsWith("whsec_", app.GetParameterValue(PartnerCredentials.CarrierWebhookSecret(ResourceNames.CarrierParcelFast)), StringComparison.Ordinal);
        var environment = app.GetLaunchDetails(ResourceNames.Gateway, 0)!.Environment;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(portalKey))), environment["Gateway__Clients__portal__KeySha256"]);
        Assert.DoesNotContain(environment.Values, value => value.Contains(portalKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ControlApi_Parameters_ListsNamesAndGivesAValueToATokenHolderOnly()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>("--erp-api-key", "given-erp-key");
        builder.KeepOnly(ResourceNames.Redis);
        await using var app = await builder.StartHealthyAsync(output.WriteLine);
        using var control = new HttpClient { BaseAddress = app.DashboardUrl };
        control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.ControlToken);
        using var anonymous = new HttpClient { BaseAddress = app.DashboardUrl };

        var names = await control.GetFromJsonAsync<JsonElement>("/api/parameters");
        var erp = await control.GetFromJsonAsync<JsonElement>($"/api/parameters/{PartnerCredentials.ErpApiKey}");
        using var unknown = await control.GetAsync("/api/parameters/no-such-key");
        using var withoutToken = await anonymous.GetAsync($"/api/parameters/{PartnerCredentials.ErpApiKey}");

        Assert.Equal(PartnerCredentials.All.Order(StringComparer.Ordinal), names.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(names.EnumerateArray(), p => Assert.True(p.GetProperty("secret").GetBoolean()));
        Assert.Equal("given-erp-key", erp.GetProperty("value").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
    }

    private static async Task<HttpStatusCode> PingAsync(HttpClient gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/estate/ping");
        request.Headers.Add("X-Api-Key", key);
        using var response = await gateway.SendAsync(request);
        return response.StatusCode;
    }
}
