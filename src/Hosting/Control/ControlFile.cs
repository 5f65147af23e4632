using System.Net.Http.Headers;
using System.Text.Json;
using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Control;

/// <summary>
/// <c>control.json</c> in the estate's state folder: the control API's URL and bearer token, and the AppHost's pid,
/// written by the AppHost at start. The one way the CLI, the load and chaos runners and the tests find a running
/// estate, so its shape is written and read here only.
/// </summary>
public sealed record ControlFile(Uri Url, string Token, int? Pid = null)
{
    public const string FileName = "control.json";

    public static string PathIn(string stateFolder) => Path.Combine(stateFolder, FileName);

    /// <summary>
    /// The state folder's control file, or null when it has none (no estate runs there); a file that is not one throws
    /// <see cref="ControlFileException"/>, naming it.
    /// </summary>
    public static ControlFile? Read(string stateFolder)
    {
        var path = PathIn(stateFolder);
        return File.Exists(path) ? Parse(path, File.ReadAllText(path)) : null;
    }

    /// <inheritdoc cref="Read"/>
    public static async Task<ControlFile?> ReadAsync(string stateFolder, CancellationToken cancellationToken)
    {
        var path = PathIn(stateFolder);
        return File.Exists(path) ? Parse(path, await File.ReadAllTextAsync(path, cancellationToken)) : null;
    }

    /// <summary>An HTTP client on the control API that sends the bearer token.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = Url };
        if (timeout is { } limit)
        {
            client.Timeout = limit;
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>A model parameter's value (a partner key, a webhook secret) from the running estate's control API.</summary>
    public async Task<string> GetParameterAsync(string name, CancellationToken cancellationToken)
    {
        using var client = CreateClient(TimeSpan.FromSeconds(10));
        using var response = await client.GetAsync($"api/parameters/{Uri.EscapeDataString(name)}", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the estate at {Url} answered {(int)response.StatusCode} for its parameter '{name}' (an estate older than this tool: restart it)");
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.GetProperty("value").GetString() ?? "";
    }

    /// <summary>Owner-only: the token opens the control API.</summary>
    internal void WriteTo(string stateFolder) =>
        PrivateFile.Write(PathIn(stateFolder), JsonSerializer.Serialize(new { url = Url, token = Token, pid = Pid }));

    private static ControlFile Parse(string path, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new ControlFileException(path, exception.Message, exception);
        }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri)
                && root.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                ? new ControlFile(uri, token.GetString()!, root.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number && pid.TryGetInt32(out var number) ? number : null)
                : throw new ControlFileException(path, "it holds no control API url and token");
        }
    }
}
