using System.Text;
using LogisticsSync.Load.Scenarios.Carriers;

namespace LogisticsSync.LoadRunner.Tests.Carriers;

public sealed class CarrierWebhookScenariosTests
{
    [Fact]
    public void Sign_TheGatewayReadmesWorkedExample_SameSignature()
    {
        // README "Carrier webhooks (Standard Webhooks)", verified there against the gateway
        var key = CarrierWebhookScenarios.SigningKey("whsec_V2y18sRV3a3VISdLzFTNgkGBmDP88acP");
        var body = Encoding.UTF8.GetBytes("""{"tracking_number":"PF-1001","status":"in_transit","at":"2026-11-23T10:00:00Z"}""");

        Assert.Equal("576cb5f2c455ddadd521274bcc54cd8241819833fcf1a70f", Convert.ToHexStringLower(key));
        Assert.Equal("v1,xro/oQDtJ0BIDMzLQmraAh7b9EbH4mD++7JM65bm7Uo=", CarrierWebhookScenarios.Sign(key, "msg_2Wv8dJ4kQe1N", 1795435200, body));
    }

    [Fact]
    public void MessageFor_TenPercentDuplicates_AboutThatShareEachRepeatingAnEarlierMessage()
    {
        var messages = Enumerable.Range(0, 10_000).Select(i => (Iteration: (long)i, Message: CarrierWebhookScenarios.MessageFor(i, 0.10))).ToList();
        var duplicates = messages.Where(m => m.Message != m.Iteration).ToList();

        Assert.InRange(duplicates.Count, 900, 1100);
        Assert.All(duplicates, d => Assert.True(d.Message < d.Iteration));
        // A repeat is always of a message some earlier iteration sent as its own, so the gateway has seen it.
        Assert.All(duplicates, d => Assert.Equal(d.Message, CarrierWebhookScenarios.MessageFor(d.Message, 0.10)));
        Assert.Equal(0, CarrierWebhookScenarios.MessageFor(0, 1.0));
        Assert.DoesNotContain(Enumerable.Range(0, 1000), i => CarrierWebhookScenarios.MessageFor(i, 0) != i);
    }
}
