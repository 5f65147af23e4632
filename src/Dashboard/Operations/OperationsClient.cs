using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LogisticsSync.Hosting;
using Microsoft.AspNetCore.Http;

namespace LogisticsSync.Dashboard.Operations;

/// <summary>
/// Calls the orchestrator's APIs through the gateway with the operations identity, as any partner does: the
/// page sees what the gateway enforces (scopes, throttling, audit), not a back door into the database.
/// </summary>
internal sealed class OperationsClient(DistributedApplication estate, OperationsSource? source)
{
    // One client for every estate in the process (tests boot several); the gateway's address is looked up per call.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Task<UpstreamAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, body: null, cancellationToken);

    public Task<UpstreamAnswer> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    private async Task<UpstreamAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        if (source is null)
        {
            return UpstreamAnswer.Problem(StatusCodes.Status503ServiceUnavailable, "No operations source",
                "The estate's model gives the dashboard no gateway and key to read operations with: builder.AddDashboard(new OperationsSource(...)).");
        }

        Uri gateway;
        try
        {
            gateway = estate.GetEndpoint(source.GatewayResource);
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException)
        {
            return UpstreamAnswer.Problem(StatusCodes.Status503ServiceUnavailable, "The gateway is not running", exception.Message);
        }

        using var request = new HttpRequestMessage(method, new Uri(gateway, $"/api/{source.ApiVersion}/{path}"));
        request.Headers.Add("X-Api-Key", estate.GetParameterValue(source.ApiKey.Name));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        try
        {
            using var response = await Http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new UpstreamAnswer((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return UpstreamAnswer.Problem(StatusCodes.Status502BadGateway, "The gateway did not answer", $"{method} {path}: {exception.Message}");
        }
    }
}
