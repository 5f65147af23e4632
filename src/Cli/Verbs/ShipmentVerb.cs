using System.Text.Json.Nodes;
using LogisticsSync.Cli.Arguments;
using LogisticsSync.Cli.Estate;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Cli.Verbs;

/// <summary>A shipment by business key through the gateway, as a partner sees it, with the operations key (shipments:read, operations).</summary>
public sealed class ShipmentVerb(EstateClient estate, CliArguments args, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var key = args.Operands.Count == 1 ? args.Operands[0] : throw new UsageException("'shipment' takes one business key.");
        var gateway = await estate.GetAsync($"api/resources/{ResourceNames.Gateway}", cancellationToken);
        using var client = new HttpClient { BaseAddress = new Uri(gateway["endpoints"]!["http"]!.ToString()), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", LocalPartnerKeys.Operations);
        var shipment = await EstateClient.SendAsync(client, HttpMethod.Get, $"api/v2/shipments/by-business-key/{Uri.EscapeDataString(key)}", null, cancellationToken);
        var id = shipment["id"]!.ToString();
        var timeline = await EstateClient.SendAsync(client, HttpMethod.Get, $"api/v2/shipments/{id}/timeline", null, cancellationToken);
        var exceptions = await EstateClient.SendAsync(client, HttpMethod.Get, $"api/v2/exceptions?status=open&shipmentId={id}", null, cancellationToken);
        if (args.Json)
        {
            output.WriteLine(new JsonObject { ["shipment"] = shipment.DeepClone(), ["timeline"] = timeline.DeepClone(), ["openExceptions"] = exceptions.DeepClone() }.ToJsonString());
            return 0;
        }

        output.WriteLine($"shipment {key} ({id}): {shipment["state"]}, owner {shipment["owner"] ?? shipment["currentOwner"] ?? "-"}");
        output.WriteLine("timeline:");
        foreach (var entry in Items(timeline))
        {
            output.WriteLine($"  {entry["receivedAt"] ?? entry["occurredAt"]}  {entry["milestone"] ?? entry["type"]}  {entry["outcome"] ?? entry["result"]}");
        }

        output.WriteLine("open exceptions:");
        foreach (var exception in Items(exceptions))
        {
            output.WriteLine($"  {exception["type"]}  owner {exception["owner"]}  due {exception["dueAt"] ?? exception["slaDueAt"]}");
        }

        return 0;
    }

    private static IEnumerable<JsonObject> Items(JsonNode node) =>
        (node as JsonArray ?? node["items"] as JsonArray ?? node["events"] as JsonArray ?? []).OfType<JsonObject>();
}
