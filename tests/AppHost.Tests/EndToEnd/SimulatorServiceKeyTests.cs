using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Runtime;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.AppHost.Tests.EndToEnd;

/// <summary>
/// The simulators' system APIs (what the orchestrator and the TMS call) answer the estate's services only; their
/// reports, info, health and the admin API (its own key) stay reachable without the service key. On the order-to-pack
/// estate, which runs every simulator: one more estate for these few calls would cost a boot.
/// </summary>
[Collection(OrderToPackEstateCollection.Name)]
public sealed class SimulatorServiceKeyTests(OrderToPackEstateFixture estate)
{
    public static TheoryData<string, string, string> SystemApiCalls => new()
    {
        { ResourceNames.Erp, "POST", "/erp/api/goods-issues" },
        { ResourceNames.Erp, "GET", "/erp/api/invoice-triggers" },
        { ResourceNames.Wms, "GET", "/wms/api/orders/SO-no-key" },
        { ResourceNames.Wms, "POST", "/wms/api/orders/status-query" },
        { ResourceNames.Tms, "GET", "/tms/api/rates?serviceLevel=standard&country=DE&weightKg=1" },
        { ResourceNames.Tms, "POST", "/tms/api/tenders" },
        { ResourceNames.CarrierParcelFast, "POST", "/carrier/api/bookings" },
        { ResourceNames.CarrierFreightLine, "GET", "/carrier/api/tracking/FL0000000000" },
        { ResourceNames.CarrierParcelFast, "POST", "/carrier/api/tracking/query" },
    };

    [Theory]
    [MemberData(nameof(SystemApiCalls))]
    public async Task SystemApi_WithoutServiceKey_Answers401Problem(string role, string method, string path)
    {
        using var client = Keyless(role);

        using var response = await client.SendAsync(Call(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Theory]
    [MemberData(nameof(SystemApiCalls))]
    public async Task SystemApi_WithWrongServiceKey_Answers401(string role, string method, string path)
    {
        using var client = Keyless(role);
        using var request = Call(method, path);
        request.Headers.Add(ServiceKeyConvention.HeaderName, "not-the-estates-key");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(ResourceNames.Erp, "/erp/releases")]
    [InlineData(ResourceNames.Wms, "/wms/work")]
    [InlineData(ResourceNames.Tms, "/tms/tenders")]
    [InlineData(ResourceNames.CarrierParcelFast, "/carrier/journeys")]
    [InlineData(ResourceNames.Tms, "/sim/info")]
    [InlineData(ResourceNames.Tms, "/health")]
    [InlineData(ResourceNames.Wms, "/alive")]
    public async Task ReportsInfoAndHealth_WithoutServiceKey_StayOpen(string role, string path)
    {
        using var client = Keyless(role);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AdminApi_WithItsAdminKeyAndNoServiceKey_IsServed()
    {
        using var client = Keyless(ResourceNames.Tms);
        client.DefaultRequestHeaders.Add(LogisticsSync.Simulators.Admin.AdminEndpoints.KeyHeader, TestPartnerKeys.SimulatorAdmin);

        using var response = await client.GetAsync("/admin/faults");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private HttpClient Keyless(string role) => estate.App.CreateKeylessHttpClient(role);

    private static HttpRequestMessage Call(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
    };
}
