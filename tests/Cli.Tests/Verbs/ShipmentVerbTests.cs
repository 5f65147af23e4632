using LogisticsSync.Tests.Shared;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LogisticsSync.Cli.Verbs;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Cli.Tests.Verbs;

/// <summary><c>./estate shipment</c> against a real gateway, orchestrator and their servers: the field names it prints are the orchestrator's.</summary>
public sealed class ShipmentVerbTests(ShipmentVerbTests.GatewayEstate estate) : IClassFixture<ShipmentVerbTests.GatewayEstate>
{
    [Fact]
    public async Task Shipment_Released_PrintsStateOwnerAndTheReleaseInItsTimeline()
    {
        var key = await estate.ReleaseAsync();

        var (code, output, error) = await estate.RunAsync("shipment", key);

        Assert.True(code == 0, error);
        Assert.Contains($"shipment {key} (", output);
        Assert.Contains(": Released, owner ", output);
        Assert.DoesNotContain("owner ,", output);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output.ReplaceLineEndings("\n"), @"timeline:\n  \S+  released from Erp: applied Planned -> Released"), output);
        Assert.Contains("open exceptions:", output);
    }

    [Fact]
    public async Task ShipmentJson_Released_CarriesShipmentTimelineAndOpenExceptions()
    {
        var key = await estate.ReleaseAsync();

        var (code, output, error) = await estate.RunAsync("shipment", key, "--json");

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(key, json["shipment"]!["businessKey"]!.GetValue<string>());
        Assert.Equal("Released", json["shipment"]!["state"]!.GetValue<string>());
        Assert.NotEmpty(json["timeline"]!.AsArray());
        Assert.Empty(json["openExceptions"]!.AsArray());
    }

    [Fact]
    public async Task Shipment_UnknownKey_Exit2WithTheGatewaysProblem()
    {
        var (code, _, error) = await estate.RunAsync("shipment", "SO-NEVER-RELEASED");

        Assert.Equal(2, code);
        Assert.Contains("SO-NEVER-RELEASED", error);
    }

    // keys shares this estate: the operations key the shipment verb uses comes from the same control API.
    [Fact]
    public async Task Keys_ListsEveryCredentialWithItsValue_AndOneByName()
    {
        var (code, output, error) = await estate.RunAsync("keys");
        var (oneCode, one, _) = await estate.RunAsync("keys", PartnerCredentials.OperationsApiKey);
        var (unknownCode, _, unknownError) = await estate.RunAsync("keys", "no-such-key");

        Assert.True(code == 0, error);
        Assert.Equal(PartnerCredentials.All.Count(), output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"{PartnerCredentials.ErpApiKey}={TestPartnerKeys.Erp}", output, StringComparison.Ordinal);
        Assert.Equal((0, TestPartnerKeys.Operations), (oneCode, one.Trim()));
        Assert.NotEqual(0, unknownCode);
        Assert.Contains("no-such-key", unknownError, StringComparison.Ordinal);
    }

    /// <summary>The gateway and everything behind it up to the orchestrator; no partners, so a release stays Released.</summary>
    public sealed class GatewayEstate : IAsyncLifetime
    {
        private DistributedApplication? _estate;

        public async Task InitializeAsync()
        {
            var builder = await TestEstate.CreateBuilderAsync("--orchestrator-replicas", "1");
            builder.KeepOnly(ResourceNames.Gateway, ResourceNames.Orchestrator);
            _estate = builder.Build();
            await _estate.StartAsync();
            await _estate.WaitForHealthyAsync(TimeSpan.FromSeconds(120), CancellationToken.None, ResourceNames.Gateway, ResourceNames.Orchestrator);
        }

        public async Task<string> ReleaseAsync()
        {
            var key = "SO-CLI-" + Guid.NewGuid().ToString("N")[..10];
            using var erp = _estate!.CreateHttpClient(ResourceNames.Gateway);
            erp.DefaultRequestHeaders.Add("X-Api-Key", TestPartnerKeys.Erp);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/shipments")
            {
                Content = JsonContent.Create(new
                {
                    businessKey = key,
                    customer = new { id = "C-1001", name = "Acme" },
                    shipTo = new { name = "Acme DC North", city = "Hamburg", country = "DE" },
                    lines = new[] { new { sku = "SKU-100", quantity = 1, weightKg = 1m } },
                    promisedBy = DateTimeOffset.UtcNow.AddDays(3),
                }),
                Headers = { { "Idempotency-Key", key } },
            };
            using var response = await erp.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return key;
        }

        public async Task<(int Code, string Output, string Error)> RunAsync(params string[] words)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await VerbDispatcher.RunAsync([.. words, "--state", _estate!.Options.StateDirectory], output, error, CancellationToken.None);
            return (code, output.ToString(), error.ToString());
        }

        public async Task DisposeAsync()
        {
            if (_estate is not null)
            {
                await _estate.DisposeAsync();
            }
        }
    }
}
