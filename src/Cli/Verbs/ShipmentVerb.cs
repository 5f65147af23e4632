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
        client.DefaultRequestHeaders.Add("X-Api-Key", await estate.ParameterAsync(PartnerCredentials.OperationsApiKey, cancellationToken));
        var shipment = await EstateClient.SendAsync(client, HttpMethod.Get, $"api/v2/shipments/by-business-key/{Uri.EscapeDataString(key)}", null, cancellationToken);
        var id = shipment["id"]!.ToString();
        var timeline = await EstateClient.SendAsync(client, HttpMethod.Get, $"api/v2/shipments/{id}/timeline", null, cancellationToken);
        var exceptions = await EstateClient.SendAsync(client, HttpMethod.Get, $"api/v2/exceptions?status=open&shipmentId={id}", null, cancellationToken);
        if (args.Json)
        {
            output.WriteLine(new JsonObject { ["shipment"] = shipment.DeepClone(), ["timeline"] = timeline.DeepClone(), ["openExceptions"] = exceptions.DeepClone() }.ToJsonString());
            return 0;
        }

        // The field names are the orchestrator's resources: ShipmentResource, TrailEntry and ExceptionRecord.
        output.WriteLine($"shipment {key} ({id}): {shipment["state"]}, owner {shipment["stateOwner"]}, version {shipment["version"]}");
        if (shipment["booking"] is JsonObject booking)
        {
            output.WriteLine($"booking: {booking["carrierId"]} {booking["bookingReference"]}, tracking {booking["trackingNumber"] ?? "-"}, eta {booking["estimatedDeliveryAt"] ?? "-"}");
        }

        output.WriteLine("timeline:");
        foreach (var entry in Items(timeline))
        {
            var change = entry["toState"] is null ? "" : $" {entry["fromState"]} -> {entry["toState"]}";
            output.WriteLine($"  {entry["occurredAt"]}  {entry["milestone"]} from {entry["sourceSystem"]}: {entry["outcome"]}{change}");
        }

        output.WriteLine("open exceptions:");
        foreach (var exception in Items(exceptions))
        {
            output.WriteLine($"  {exception["type"]}  owner {exception["ownerTeam"]}  due {exception["slaDueAt"]}  {exception["detail"]}");
        }

        return 0;
    }

    private static IEnumerable<JsonObject> Items(JsonNode node) => (node as JsonArray ?? []).OfType<JsonObject>();
}
