using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LogisticsSync.Hosting.Control;

namespace LogisticsSync.Cli.Estate;

/// <summary>
/// The running estate found through its state folder: <c>control.json</c> there holds the control API's url and
/// bearer token (written by the AppHost at start). Every call maps failures to an <see cref="EstateException"/>.
/// </summary>
public sealed class EstateClient : IDisposable
{
    private const string NoEstateHint = "Start one with ./run.sh (or pass --state <folder> of a running estate).";
    private readonly HttpClient _control;

    private EstateClient(HttpClient control, string stateFolder)
    {
        _control = control;
        StateFolder = stateFolder;
    }

    public string StateFolder { get; }

    public Uri ControlUrl => _control.BaseAddress!;

    public string Token => _control.DefaultRequestHeaders.Authorization!.Parameter!;

    public static EstateClient Open(string stateFolder)
    {
        var file = ControlFile.PathIn(stateFolder);
        try
        {
            var control = ControlFile.Read(stateFolder)
                ?? throw new EstateException(EstateException.NotRunning, $"No running estate: {file} does not exist. {NoEstateHint}");
            return new EstateClient(control.CreateClient(TimeSpan.FromSeconds(10)), stateFolder);
        }
        catch (ControlFileException exception)
        {
            throw new EstateException(EstateException.NotRunning, $"{exception.Message}. {NoEstateHint}");
        }
    }

    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(_control, HttpMethod.Get, path, null, cancellationToken);

    /// <summary>A model parameter's value (a partner key, a webhook secret), from the control API.</summary>
    public async Task<string> ParameterAsync(string name, CancellationToken cancellationToken) =>
        (await GetAsync($"api/parameters/{Uri.EscapeDataString(name)}", cancellationToken))["value"]!.ToString();

    public Task<JsonNode> PostAsync(string path, CancellationToken cancellationToken) => SendAsync(_control, HttpMethod.Post, path, null, cancellationToken);

    /// <summary>One call to the control API or another estate server; a refused connection means the control file is stale.</summary>
    public static async Task<JsonNode> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new EstateException(EstateException.NotRunning,
                $"No answer from {client.BaseAddress} ({exception.Message}): the estate is not running or its control.json is stale. {NoEstateHint}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout: the server accepted the call but is too busy (or hung) to answer; a message, not a stack trace.
            throw new EstateException(EstateException.Failed,
                $"No answer from {client.BaseAddress} within {client.Timeout.TotalSeconds:0} s: the server is up but busy or hung; try again, or see its logs (./estate logs <resource>).");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var code = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest ? EstateException.Usage : EstateException.Failed;
                throw new EstateException(code, Problem.Describe(response.StatusCode, text));
            }

            return JsonNode.Parse(text.Length == 0 ? "null" : text) ?? JsonValue.Create(string.Empty);
        }
    }

    public void Dispose() => _control.Dispose();
}
