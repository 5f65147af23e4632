using System.Text.Json.Nodes;

namespace LogisticsSync.ApiGateway.OpenApi;

/// <summary>
/// Turns the orchestrator's internal OpenAPI document (every version, its own replica as server) into the one
/// a partner reads for one version: only that version's paths and the carrier webhook path as the gateway
/// exposes them, the gateway's own URL as server, the <c>X-Api-Key</c> scheme, a summary on every operation
/// and the 4xx problems the edge itself answers (400, 401, 403, 429), which the orchestrator cannot know about.
/// </summary>
internal static class PartnerOpenApiDocument
{
    public const string SecurityScheme = "ApiKey";
    private const string ProblemSchema = "EdgeProblem";
    private const string InternalWebhookSegment = "/carrier-webhooks/{carrierId}";
    private const string PublicWebhookPath = "/webhooks/carriers/{carrierId}";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private static readonly (string Status, string Description)[] EdgeProblems =
    [
        ("400", "Bad request: an unknown version, invalid characters, or a body that is not a valid command"),
        ("401", "API key missing or unknown"),
        ("403", "The API key lacks the scope this request needs"),
        ("429", "Rate limit reached for this client: retry after the Retry-After header's seconds"),
    ];

    public static JsonObject For(JsonObject internalDocument, string version, string serverUrl)
    {
        var document = (JsonObject)internalDocument.DeepClone();
        document["info"] = new JsonObject
        {
            ["title"] = $"LogisticsSync partner API {version}",
            ["version"] = version,
            ["description"] = "Commands and queries through the gateway. Every request carries the partner's key in the X-Api-Key header; errors are RFC 9457 problem details.",
        };
        document["servers"] = new JsonArray(new JsonObject { ["url"] = serverUrl, ["description"] = "The gateway" });
        document["paths"] = PathsOf(document["paths"] as JsonObject ?? [], version);
        var components = document["components"] as JsonObject ?? [];
        document["components"] = components;
        var schemes = components["securitySchemes"] as JsonObject ?? [];
        components["securitySchemes"] = schemes;
        schemes[SecurityScheme] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "X-Api-Key",
            ["description"] = "The partner's API key; its scopes decide what it may call.",
        };
        var schemas = components["schemas"] as JsonObject ?? [];
        components["schemas"] = schemas;
        schemas[ProblemSchema] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "RFC 9457 problem details",
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string" },
                ["title"] = new JsonObject { ["type"] = "string" },
                ["status"] = new JsonObject { ["type"] = "integer" },
                ["detail"] = new JsonObject { ["type"] = "string" },
            },
        };
        document["security"] = new JsonArray(new JsonObject { [SecurityScheme] = new JsonArray() });
        return document;
    }

    private static JsonObject PathsOf(JsonObject paths, string version)
    {
        var prefix = $"/api/{version}/";
        var partnerPaths = new JsonObject();
        foreach (var (path, item) in paths)
        {
            if (item is not JsonObject operations)
            {
                continue;
            }

            var publicPath = path.EndsWith(InternalWebhookSegment, StringComparison.Ordinal) ? PublicWebhookPath : path;
            if (!path.StartsWith(prefix, StringComparison.Ordinal) || partnerPaths.ContainsKey(publicPath))
            {
                continue;
            }

            foreach (var method in Methods)
            {
                if (operations[method] is JsonObject operation)
                {
                    Complete(operation, method, publicPath);
                }
            }

            partnerPaths[publicPath] = operations.DeepClone();
        }

        return partnerPaths;
    }

    private static void Complete(JsonObject operation, string method, string path)
    {
        if (operation["summary"] is null)
        {
            operation["summary"] = $"{method.ToUpperInvariant()} {path}";
        }

        var responses = operation["responses"] as JsonObject ?? [];
        operation["responses"] = responses;
        foreach (var (status, description) in EdgeProblems)
        {
            if (!responses.ContainsKey(status))
            {
                responses[status] = new JsonObject
                {
                    ["description"] = description,
                    ["content"] = new JsonObject
                    {
                        ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{ProblemSchema}" } },
                    },
                };
            }
        }
    }
}
