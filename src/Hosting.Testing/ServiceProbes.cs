using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LogisticsSync.Hosting.Testing;

/// <summary>Asking a service that may still be starting, or is up but unhealthy, what state it is in.</summary>
public static class ServiceProbes
{
    /// <summary>
    /// The answer's status, or 0 while the process does not listen yet: a test waiting on a (re)started replica
    /// polls this rather than tell a refused connection from a failure.
    /// </summary>
    public static async Task<HttpStatusCode> StatusOnceListeningAsync(this HttpClient client, HttpRequestMessage request)
    {
        try
        {
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>One check's entry (<c>status</c>, <c>description</c>) in the service's <c>/health</c> report.</summary>
    public static async Task<JsonElement> HealthEntryAsync(this HttpClient client, string check)
    {
        using var response = await client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        return health.GetProperty("entries").GetProperty(check);
    }
}
