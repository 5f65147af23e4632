using System.Collections.Concurrent;
using LogisticsSync.Hosting.Runtime;
using Microsoft.AspNetCore.Http;

namespace LogisticsSync.Hosting.Control;

/// <summary>
/// Who may read the dashboard and run commands: a script with the control token as a bearer token, or a
/// browser that exchanged the token (printed on the console) for a session cookie at <c>/login</c>.
/// Sessions live in memory: a restarted AppHost has a new token, so old sessions must not survive it.
/// </summary>
public sealed class ControlAccess(string token)
{
    public const string CookieName = "estate_dashboard";
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);

    public bool IsToken(string? presented) => presented is not null && Secrets.FixedTimeEquals(presented, token);

    public bool IsAuthorized(HttpRequest request) => HasBearerToken(request) || HasSession(request);

    public bool HasSession(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var session) && session is not null && _sessions.ContainsKey(session);

    /// <summary>
    /// HttpOnly: page scripts never see it. SameSite=Strict: another site cannot make the browser send it,
    /// which is what protects the POST commands from cross-site requests. Not Secure: the dashboard is
    /// plain HTTP on loopback.
    /// </summary>
    public void StartSession(HttpResponse response)
    {
        var session = Secrets.Generate(43);
        _sessions[session] = DateTimeOffset.UtcNow;
        response.Cookies.Append(CookieName, session, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
    }

    public void EndSession(HttpRequest request, HttpResponse response)
    {
        if (request.Cookies.TryGetValue(CookieName, out var session) && session is not null)
        {
            _sessions.TryRemove(session, out _);
        }

        response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
    }

    private bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header
        && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && IsToken(header["Bearer ".Length..]);
}
