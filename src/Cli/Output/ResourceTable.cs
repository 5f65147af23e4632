using System.Text;
using System.Text.Json.Nodes;

namespace LogisticsSync.Cli.Output;

/// <summary>The resource table run.sh prints when the estate is ready: one row per replica of a replicated resource.</summary>
public static class ResourceTable
{
    private static readonly string[] Header = ["NAME", "TYPE", "STATE", "PID", "RESTARTS", "URL"];

    public static string Render(JsonArray resources)
    {
        var rows = new List<string[]> { Header };
        foreach (var resource in resources.OfType<JsonObject>())
        {
            var name = resource["name"]!.ToString();
            var replicas = resource["replicas"] as JsonArray ?? [];
            if (replicas.Count <= 1)
            {
                var only = replicas.FirstOrDefault() as JsonObject;
                rows.Add([name, Text(resource["type"]), Text(resource["state"]), Text(only?["pid"]), Text(resource["restarts"] ?? only?["restarts"] ?? 0), Urls(resource["endpoints"])]);
                continue;
            }

            foreach (var replica in replicas.OfType<JsonObject>())
            {
                rows.Add([$"{name}-{replica["replica"]}", Text(resource["type"]), Text(replica["state"]), Text(replica["pid"]), Text(replica["restarts"]), Urls(replica["endpoints"])]);
            }
        }

        var widths = Enumerable.Range(0, Header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd());
        }

        return text.ToString();
    }

    private static string Text(JsonNode? node) => node is null || node.ToString().Length == 0 ? "-" : node.ToString();

    private static string Urls(JsonNode? endpoints) =>
        endpoints is JsonObject { Count: > 0 } map ? string.Join(' ', map.Select(e => e.Value?.ToString())) : "-";
}
