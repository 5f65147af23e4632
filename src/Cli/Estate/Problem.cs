using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LogisticsSync.Cli.Estate;

/// <summary>Renders an RFC 9457 problem (title, detail, validation errors) as the lines a person reads.</summary>
public static class Problem
{
    public static string Describe(HttpStatusCode status, string body)
    {
        JsonNode? problem;
        try
        {
            problem = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            problem = null;
        }

        if (problem is not JsonObject)
        {
            return $"{(int)status} {status}: {(body.Length > 500 ? body[..500] : body)}".TrimEnd(' ', ':');
        }

        var text = new StringBuilder($"{(int)status} {problem["title"]?.ToString() ?? status.ToString()}");
        if (problem["detail"] is { } detail)
        {
            text.Append(": ").Append(detail);
        }

        if (problem["errors"] is JsonObject errors)
        {
            foreach (var (field, messages) in errors)
            {
                var list = messages is JsonArray array ? string.Join(" ", array.Select(m => m?.ToString())) : messages?.ToString();
                text.Append('\n').Append("  ").Append(field).Append(": ").Append(list);
            }
        }

        return text.ToString();
    }
}
