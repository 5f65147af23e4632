using LogisticsSync.Tests.Shared;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;
using Xunit.Abstractions;

namespace LogisticsSync.ApiGateway.Tests.Edge;

/// <summary>
/// Hundreds of malformed requests across every partner-facing endpoint, through the gateway: bodies,
/// headers, query strings, path segments, NUL and control characters, huge and deep values. Every one
/// must be answered 4xx with a problem document that says nothing of the server's insides, none may
/// change the database, and the broker must be left with every message settled.
/// </summary>
[Collection(GatewayEstateCollection.Name)]
public sealed class MalformedInputCorpusTests(GatewayEstateFixture estate, ITestOutputHelper output) : IDisposable
{
    private const int MinimumCorpus = 300;
    private readonly IDisposable _logs = estate.App.StreamLogsTo(output.WriteLine);

    /// <param name="RefusedByKestrel">
    /// A request Kestrel itself refuses before any middleware runs (a NUL decoded into the path): its bare 400
    /// cannot carry a problem body, and no application code ran that could leak anything.
    /// </param>
    private sealed record CorpusCase(string Name, string? ApiKey, Func<HttpRequestMessage> Request, bool RefusedByKestrel = false);

    [Fact]
    public async Task Corpus_EveryRequest_Is4xxProblem_ChangesNothing_LeavesTheBrokerSettled()
    {
        var corpus = Corpus().ToList();
        Assert.True(corpus.Count >= MinimumCorpus, $"the corpus has {corpus.Count} requests, fewer than {MinimumCorpus}");
        await estate.DueTimersFiredAsync();
        var before = await estate.TableCountsAsync();

        var failures = new List<string>();
        foreach (var corpusCase in corpus)
        {
            using var client = estate.Gateway(corpusCase.ApiKey);
            var (request, response) = await SendUnthrottledAsync(client, corpusCase);
            using (request)
            using (response)
            {
                if (await (corpusCase.RefusedByKestrel ? KestrelRefusalViolation(response) : ProblemViolation(response)) is { } violation)
                {
                    failures.Add($"{corpusCase.Name} ({request.Method} {Truncate(request.RequestUri?.ToString() ?? "")}): {violation}");
                }
            }
        }

        output.WriteLine($"{corpus.Count} malformed requests, {failures.Count} answered wrongly");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await estate.TableCountsAsync());
        await estate.App.SettledAsync(ResourceNames.RabbitMQ, TimeSpan.FromSeconds(30), "orchestrator.milestones");
    }

    /// <summary>A 429 would hide what the input itself gets: the corpus outruns the clients' rate limits, so it waits and sends again.</summary>
    private static async Task<(HttpRequestMessage Request, HttpResponseMessage Response)> SendUnthrottledAsync(HttpClient client, CorpusCase corpusCase)
    {
        while (true)
        {
            var request = corpusCase.Request();
            var response = await client.SendAsync(request);
            if (response.StatusCode != System.Net.HttpStatusCode.TooManyRequests)
            {
                return (request, response);
            }

            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            request.Dispose();
            await Task.Delay(wait);
        }
    }

    private static async Task<string?> KestrelRefusalViolation(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == System.Net.HttpStatusCode.BadRequest && body.Length == 0
            ? null
            : $"expected Kestrel's bare 400, got {(int)response.StatusCode}: {Truncate(body)}";
    }

    private static async Task<string?> ProblemViolation(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (status is < 400 or > 499)
        {
            return $"status {status}: {Truncate(body)}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"status {status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}: {Truncate(body)}";
        }

        try
        {
            if (JsonSerializer.Deserialize<JsonElement>(body).GetProperty("status").GetInt32() != status)
            {
                return $"problem status differs from {status}";
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"not a problem document: {Truncate(body)}";
        }

        return body.Contains("Exception", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal)
            ? $"exception details in the body: {Truncate(body)}"
            : null;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static IEnumerable<CorpusCase> Corpus() =>
        QueryCases().Concat(PathCases()).Concat(HeaderCases()).Concat(ReleaseBodyCases()).Concat(ResolveBodyCases()).Concat(WebhookCases());

    private static readonly string[] Versions = ["v1", "v2"];
    private static readonly string SomeId = Guid.NewGuid().ToString();

    /// <summary>Every endpoint, with the key that may call it: (method, path, key).</summary>
    private static IEnumerable<(HttpMethod Method, string Path, string Key)> Endpoints(string version) =>
    [
        (HttpMethod.Get, $"/api/{version}/shipments/{SomeId}", TestPartnerKeys.Erp),
        (HttpMethod.Get, $"/api/{version}/shipments/by-business-key/SO-CORPUS", TestPartnerKeys.Erp),
        (HttpMethod.Get, $"/api/{version}/shipments/{SomeId}/timeline", TestPartnerKeys.Erp),
        (HttpMethod.Post, $"/api/{version}/shipments", TestPartnerKeys.Erp),
        (HttpMethod.Post, $"/api/{version}/shipments/{SomeId}/cancellation", TestPartnerKeys.Erp),
        (HttpMethod.Get, $"/api/{version}/dead-letters", TestPartnerKeys.Operations),
        (HttpMethod.Get, $"/api/{version}/dead-letters/1", TestPartnerKeys.Operations),
        (HttpMethod.Post, $"/api/{version}/dead-letters/1/replay", TestPartnerKeys.Operations),
        (HttpMethod.Post, $"/api/{version}/dead-letters/replay", TestPartnerKeys.Operations),
        (HttpMethod.Get, $"/api/{version}/exceptions", TestPartnerKeys.Operations),
        (HttpMethod.Get, $"/api/{version}/exceptions/{SomeId}", TestPartnerKeys.Operations),
        (HttpMethod.Post, $"/api/{version}/exceptions/{SomeId}/resolve", TestPartnerKeys.Operations),
        (HttpMethod.Post, $"/api/{version}/exceptions/{SomeId}/retry", TestPartnerKeys.Operations),
        (HttpMethod.Get, $"/api/{version}/estate/ping", TestPartnerKeys.Portal),
        (HttpMethod.Get, $"/api/{version}/estate/workflow-latency", TestPartnerKeys.Operations),
        (HttpMethod.Get, $"/api/{version}/operations/in-flight-shipments", TestPartnerKeys.Operations),
        (HttpMethod.Get, $"/api/{version}/operations/throughput", TestPartnerKeys.Operations),
    ];

    /// <summary>Percent-encoded values no query parameter may carry: NUL, C0 controls, DEL, an ANSI escape, a line break.</summary>
    private static readonly string[] BadQueryValues = ["%00", "a%00b", "%01", "%1B%5B2J", "%7F", "x%0D%0ASet-Cookie:%20a=b", "%08%08", "%E2%80%8F%00"];

    private static IEnumerable<CorpusCase> QueryCases() =>
        from version in Versions
        from endpoint in Endpoints(version)
        from value in BadQueryValues
        let name = endpoint.Path.Contains("workflow-latency", StringComparison.Ordinal) ? "businessKeyPrefix"
            : endpoint.Path.Contains("by-business-key", StringComparison.Ordinal) ? "sourceSystem"
            : endpoint.Path.EndsWith("exceptions", StringComparison.Ordinal) ? "status"
            : endpoint.Path.EndsWith("throughput", StringComparison.Ordinal) ? "minutes" : "limit"
        select new CorpusCase($"query {name}={value}", endpoint.Key, () => WithJsonBody(endpoint.Method, $"{endpoint.Path}?{name}={value}"));

    /// <summary>Route values a partner might send: control characters, traversal, injection, a 2,000-character key.</summary>
    private static readonly string[] BadSegments =
        ["%01", "%1B%5B31m", "%7F", "..%2F..%2Fhealth", "'%3B%20DROP%20TABLE%20shipments%3B--", "%00", "%C0%AE%C0%AE", new string('9', 2000)];

    private static IEnumerable<CorpusCase> PathCases() =>
        from version in Versions
        from segment in BadSegments
        from template in new (HttpMethod Method, string Path, string Key)[]
        {
            (HttpMethod.Get, $"/api/{version}/shipments/{segment}", TestPartnerKeys.Erp),
            (HttpMethod.Get, $"/api/{version}/shipments/{segment}/timeline", TestPartnerKeys.Erp),
            (HttpMethod.Post, $"/api/{version}/shipments/{segment}/cancellation", TestPartnerKeys.Erp),
            (HttpMethod.Get, $"/api/{version}/dead-letters/{segment}", TestPartnerKeys.Operations),
            (HttpMethod.Post, $"/api/{version}/dead-letters/{segment}/replay", TestPartnerKeys.Operations),
            (HttpMethod.Get, $"/api/{version}/exceptions/{segment}", TestPartnerKeys.Operations),
            (HttpMethod.Post, $"/api/{version}/exceptions/{segment}/resolve", TestPartnerKeys.Operations),
        }
        select new CorpusCase($"path segment {Truncate(segment)}", template.Key, () => WithJsonBody(template.Method, template.Path), RefusedByKestrel: segment == "%00");

    private static IEnumerable<CorpusCase> HeaderCases()
    {
        string[] badKeys = ["", "not-a-key", new string('k', 4000), "erp-local-key-7Qm2c9\u0001", "\u001B[31m"];
        foreach (var version in Versions)
        {
            foreach (var endpoint in Endpoints(version))
            {
                foreach (var badKey in badKeys)
                {
                    yield return new CorpusCase($"X-Api-Key '{Truncate(badKey)}'", null, () => WithHeader(WithJsonBody(endpoint.Method, endpoint.Path), "X-Api-Key", badKey));
                }

                yield return new CorpusCase("no X-Api-Key, odd correlation id", null,
                    () => WithHeader(WithJsonBody(endpoint.Method, endpoint.Path), "X-Correlation-ID", "\u0001" + new string('c', 500)));
            }

            string[] badIdempotencyKeys = ["", new string('i', 256), "key\u0001", "key\u007F", "\u001B[2J"];
            foreach (var badKey in badIdempotencyKeys)
            {
                yield return new CorpusCase($"release Idempotency-Key '{Truncate(badKey)}'", TestPartnerKeys.Erp,
                    () => WithHeader(Json(HttpMethod.Post, $"/api/{version}/shipments", ValidRelease()), "Idempotency-Key", badKey));
                yield return new CorpusCase($"cancel Idempotency-Key '{Truncate(badKey)}'", TestPartnerKeys.Erp,
                    () => WithHeader(new HttpRequestMessage(HttpMethod.Post, $"/api/{version}/shipments/{SomeId}/cancellation"), "Idempotency-Key", badKey));
            }

            foreach (var contentType in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded" })
            {
                yield return new CorpusCase($"release as {contentType}", TestPartnerKeys.Erp, () =>
                {
                    var request = Json(HttpMethod.Post, $"/api/{version}/shipments", ValidRelease());
                    request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                    return WithHeader(request, "Idempotency-Key", Guid.NewGuid().ToString());
                });
            }
        }
    }

    /// <summary>A release that would be accepted, as the base each body case breaks in one place.</summary>
    private static string ValidRelease(string name = "Acme Retail", string sku = "SKU-100") =>
        $$"""{"businessKey":"SO-CORPUS-{{Guid.NewGuid():N}}","customer":{"id":"C-1001","name":"{{name}}"},"shipTo":{"name":"Acme DC North","city":"Hamburg","country":"DE"},"lines":[{"sku":"{{sku}}","quantity":1,"weightKg":1.5}],"promisedBy":"2026-12-01T17:00:00+00:00"}""";

    private static IEnumerable<CorpusCase> ReleaseBodyCases()
    {
        string[] badStrings = ["a\\u0000", "\\u0000", "a\\u0001b", "\\u001b[31m", "\\u007f", "\\ud800", "x\\udfff", "\\u0008\\u0008"];
        var bodies = new List<(string Name, Func<byte[]> Body)>();
        foreach (var bad in badStrings)
        {
            bodies.Add(($"customer.name {bad}", () => Encoding.UTF8.GetBytes(ValidRelease(name: bad))));
            bodies.Add(($"lines[0].sku {bad}", () => Encoding.UTF8.GetBytes(ValidRelease(sku: bad))));
            bodies.Add(($"businessKey {bad}", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("\"SO-CORPUS-", $"\"{bad}SO-CORPUS-", StringComparison.Ordinal))));
            bodies.Add(($"sourceSystem {bad}", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("{\"businessKey\"", $"{{\"sourceSystem\":\"erp{bad}\",\"businessKey\"", StringComparison.Ordinal))));
        }

        bodies.Add(("deep nesting", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("\"C-1001\"", new string('[', 500) + new string(']', 500), StringComparison.Ordinal))));
        bodies.Add(("deep objects", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("\"C-1001\"", string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300), StringComparison.Ordinal))));
        bodies.Add(("huge name", () => Encoding.UTF8.GetBytes(ValidRelease(name: new string('n', 20_000)))));
        bodies.Add(("quantity overflow", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("\"quantity\":1", "\"quantity\":1e40", StringComparison.Ordinal))));
        bodies.Add(("quantity beyond int", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("\"quantity\":1", "\"quantity\":2147483648", StringComparison.Ordinal))));
        bodies.Add(("weight beyond decimal", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("1.5", "1e400", StringComparison.Ordinal))));
        bodies.Add(("promisedBy a number", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("\"2026-12-01T17:00:00+00:00\"", "5", StringComparison.Ordinal))));
        bodies.Add(("promisedBy not a time", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("2026-12-01T17:00:00+00:00", "tomorrow\\u0000", StringComparison.Ordinal))));
        bodies.Add(("lines a string", () => Encoding.UTF8.GetBytes(ValidRelease().Replace("\"lines\":[", "\"lines\":\"x\",\"ignored\":[", StringComparison.Ordinal))));
        bodies.Add(("invalid UTF-8", () => [.. Encoding.UTF8.GetBytes("{\"businessKey\":\""), 0xFF, 0xFE, 0xC0, .. Encoding.UTF8.GetBytes("\"}")]));
        bodies.Add(("raw NUL byte", () => [.. Encoding.UTF8.GetBytes("{\"businessKey\":\"a"), 0x00, .. Encoding.UTF8.GetBytes("\"}")]));
        bodies.Add(("raw control byte", () => [.. Encoding.UTF8.GetBytes("{\"businessKey\":\"a"), 0x01, .. Encoding.UTF8.GetBytes("\"}")]));
        bodies.Add(("truncated", () => Encoding.UTF8.GetBytes(ValidRelease()[..60])));
        bodies.Add(("null", () => "null"u8.ToArray()));
        bodies.Add(("array", () => "[]"u8.ToArray()));
        bodies.Add(("string", () => "\"release\""u8.ToArray()));
        bodies.Add(("empty object", () => "{}"u8.ToArray()));
        bodies.Add(("empty", () => []));
        bodies.Add(("comment", () => Encoding.UTF8.GetBytes("/* x */" + ValidRelease())));
        bodies.Add(("trailing garbage", () => Encoding.UTF8.GetBytes(ValidRelease() + "}}")));

        return from version in Versions
               from body in bodies
               select new CorpusCase($"release body: {body.Name}", TestPartnerKeys.Erp, () =>
               {
                   var request = new HttpRequestMessage(HttpMethod.Post, $"/api/{version}/shipments") { Content = new ByteArrayContent(body.Body()) };
                   request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                   return WithHeader(request, "Idempotency-Key", Guid.NewGuid().ToString());
               });
    }

    private static IEnumerable<CorpusCase> ResolveBodyCases()
    {
        string[] bodies =
        [
            """{"resolution":"done\u0000"}""", """{"resolution":"\u0001"}""", """{"resolution":"\ud800"}""", """{"resolution":5}""",
            """{"resolution":""}""", """{"resolution":null}""", "[]", "{", "null", """{"resolution":[[[[[[[[[[]]]]]]]]]]}""",
        ];
        return from version in Versions
               from body in bodies
               select new CorpusCase($"resolve body {body}", TestPartnerKeys.Operations,
                   () => Json(HttpMethod.Post, $"/api/{version}/exceptions/{SomeId}/resolve", body));
    }

    private static IEnumerable<CorpusCase> WebhookCases()
    {
        const string path = "/webhooks/carriers/parcelfast";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        (string Name, string? Id, string? Timestamp, string? Signature)[] headerSets =
        [
            ("unsigned", null, null, null),
            ("bad signature", "msg_1", now, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            ("signature not base64", "msg_2", now, "v1,%%%"),
            ("stale timestamp", "msg_3", "1000000000", "v1,AAAA"),
            ("timestamp not a number", "msg_4", "soon", "v1,AAAA"),
            ("id with control character", "msg\u0001", now, "v1,AAAA"),
            ("huge id", new string('m', 4000), now, "v1,AAAA"),
        ];
        string[] bodies = ["""{"status":"\u0000"}""", "{", """{"status":"delivered"}"""];
        foreach (var headers in headerSets)
        {
            foreach (var body in bodies)
            {
                yield return new CorpusCase($"webhook {headers.Name}", TestPartnerKeys.CarrierParcelFast, () =>
                {
                    var request = Json(HttpMethod.Post, path, body);
                    WithOptionalHeader(request, "webhook-id", headers.Id);
                    WithOptionalHeader(request, "webhook-timestamp", headers.Timestamp);
                    WithOptionalHeader(request, "webhook-signature", headers.Signature);
                    return request;
                });
            }
        }

        // The carrier's key for another carrier's webhooks, and a body that is not JSON.
        yield return new CorpusCase("webhook for another carrier", TestPartnerKeys.CarrierParcelFast, () => Json(HttpMethod.Post, "/webhooks/carriers/freightline", "{}"));
        yield return new CorpusCase("webhook as text", TestPartnerKeys.CarrierParcelFast, () =>
            new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("status=delivered", Encoding.UTF8, "text/plain") });
    }

    /// <summary>A request that carries an otherwise harmless JSON body when its method has one, so only the part under test is wrong.</summary>
    private static HttpRequestMessage WithJsonBody(HttpMethod method, string path) =>
        method == HttpMethod.Post
            ? WithHeader(Json(method, path, ValidRelease()), "Idempotency-Key", Guid.NewGuid().ToString())
            : new HttpRequestMessage(method, path);

    private static HttpRequestMessage Json(HttpMethod method, string path, string json) =>
        new(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private static void WithOptionalHeader(HttpRequestMessage request, string name, string? value)
    {
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    public void Dispose() => _logs.Dispose();
}
