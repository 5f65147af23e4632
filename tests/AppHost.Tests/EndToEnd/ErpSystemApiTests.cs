using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using LogisticsSync.Simulators.Erp;
using LogisticsSync.Simulators.Faults;
using Xunit.Abstractions;
using static LogisticsSync.AppHost.Tests.EndToEnd.OrderToPackEstateFixture;

namespace LogisticsSync.AppHost.Tests.EndToEnd;

/// <summary>
/// The ERP's system API (goods issue, invoice triggers) under its fault profile. Each test waits for the
/// order-to-pack run of the same estate first (it switches the ERP's starting outage off) and restores the
/// profile it found.
/// </summary>
[Collection(OrderToPackEstateCollection.Name)]
public sealed class ErpSystemApiTests(OrderToPackEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Triggers_AreRecordedOncePerShipment_RepeatsAnswerTheSameDocument()
    {
        await estate.OrderToPackAsync();
        using var erp = estate.Simulator(ResourceNames.Erp);
        var trigger = Trigger("SO-system-api-1");

        using var first = await erp.PostAsJsonAsync("/erp/api/goods-issues", trigger);
        using var repeat = await erp.PostAsJsonAsync("/erp/api/goods-issues", trigger);
        using var invoice = await erp.PostAsJsonAsync("/erp/api/invoice-triggers", trigger);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.StatusCode, repeat.StatusCode, invoice.StatusCode));
        var document = await first.Content.ReadFromJsonAsync<PostedDocument>();
        Assert.Equal(document!.Document, (await repeat.Content.ReadFromJsonAsync<PostedDocument>())!.Document);
        Assert.StartsWith("GI-", document.Document, StringComparison.Ordinal);
        Assert.StartsWith("INV-", (await invoice.Content.ReadFromJsonAsync<PostedDocument>())!.Document, StringComparison.Ordinal);
        var goodsIssues = await erp.GetFromJsonAsync<PostingReport>("/erp/api/goods-issues");
        Assert.Equal(2, goodsIssues!.Posted.Single(d => d.BusinessKey == "SO-system-api-1").Triggers);
    }

    [Fact]
    public async Task Trigger_WithoutItsFields_IsAValidationProblemNamingEach()
    {
        await estate.OrderToPackAsync();
        using var erp = estate.Simulator(ResourceNames.Erp);

        using var response = await erp.PostAsJsonAsync("/erp/api/invoice-triggers", new { note = "no fields" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["businessKey", "occurredAt", "shipmentId"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task MaintenanceWindow_Answers503WithRetryAfter_RecordsNothing_ThenAcceptsTheSameTrigger()
    {
        await estate.OrderToPackAsync();
        using var erp = estate.Simulator(ResourceNames.Erp);
        var trigger = Trigger("SO-system-api-maintenance");

        await WithFaultsAsync(erp, profile => profile.Maintenance = true, async () =>
        {
            using var refused = await erp.PostAsJsonAsync("/erp/api/invoice-triggers", trigger);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        });
        Assert.DoesNotContain((await erp.GetFromJsonAsync<PostingReport>("/erp/api/invoice-triggers"))!.Posted, d => d.BusinessKey == "SO-system-api-maintenance");

        using var accepted = await erp.PostAsJsonAsync("/erp/api/invoice-triggers", trigger);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task RateLimitAndErrorRate_Answer429And500_AndRecordNothingThatFailed()
    {
        await estate.OrderToPackAsync();
        using var erp = estate.Simulator(ResourceNames.Erp);

        var limited = await WithFaultsAsync(erp, profile => profile.RateLimitPerSecond = 2, async () =>
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => erp.PostAsJsonAsync("/erp/api/goods-issues", Trigger($"SO-system-api-limit-{i}"))));
            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests), r => Assert.NotNull(r.Headers.RetryAfter));
            Array.ForEach(responses, r => r.Dispose());
            return statuses;
        });
        Assert.Contains(HttpStatusCode.TooManyRequests, limited);
        Assert.InRange(limited.Count(s => s == HttpStatusCode.Created), 1, 4);
        var recorded = (await erp.GetFromJsonAsync<PostingReport>("/erp/api/goods-issues"))!.Posted.Count(d => d.BusinessKey.StartsWith("SO-system-api-limit-", StringComparison.Ordinal));
        Assert.Equal(limited.Count(s => s == HttpStatusCode.Created), recorded);

        await WithFaultsAsync(erp, profile => profile.ErrorRate = 1, async () =>
        {
            using var failed = await erp.PostAsJsonAsync("/erp/api/goods-issues", Trigger("SO-system-api-error"));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            return 0;
        });
        Assert.DoesNotContain((await erp.GetFromJsonAsync<PostingReport>("/erp/api/goods-issues"))!.Posted, d => d.BusinessKey == "SO-system-api-error");
    }

    private static object Trigger(string businessKey) => new { shipmentId = Guid.NewGuid(), businessKey, occurredAt = DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture) };
}
