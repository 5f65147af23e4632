using System.Collections.Concurrent;
using LogisticsSync.Hosting.Runtime;
using Microsoft.AspNetCore.Http;

namespace LogisticsSync.Hosting.Control;

/// <summary>
/// Who may read the dashboard and run commands: a script with the control token as a bearer token, or a
/// browser that exchanged the token (printed on the console) for a session cookie at <c>/login</c>.
/// Sessions live in memory: a restarted AppHost has a new token, so old sessions must not survive it. A session
/// ends after <see cref="IdleTimeout"/> without a request and <see cref="MaxLifetime"/> after login in any case,
/// so a browser left open on a shared machine does not keep the estate's commands for ever.
/// </summary>
public sealed class ControlAccess(string token, TimeProvider? timeProvider = null)
{
    public const string CookieName = "estate_dashboard";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public bool IsToken(string? presented) => presented is not null && Secrets.FixedTimeEquals(presented, token);

    public bool IsAuthorized(HttpRequest request) => HasBearerToken(request) || HasSession(request);

    /// <summary>A live session cookie; using it keeps the session from going idle.</summary>
    public bool HasSession(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var id) || id is null || !_sessions.TryGetValue(id, out var session))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (now - session.LastSeen > IdleTimeout || now - session.Started > MaxLifetime)
        {
            _sessions.TryRemove(id, out _);
            return false;
        }

        _sessions[id] = session with { LastSeen = now };
        return true;
    }

    /// <summary>
    /// HttpOnly: page scripts never see it. SameSite=Strict: another site cannot make the browser send it.
    /// Another port of 127.0.0.1 is the same site, though, which is why state-changing requests also pass
    /// <see cref="BrowserRequestGuard"/>. Not Secure: the dashboard is plain HTTP on loopback.
    /// </summary>
    public void StartSession(HttpResponse response)
    {
        var id = Secrets.Generate(43);
        var now = _time.GetUtcNow();
        _sessions[id] = new Session(now, now);
        foreach (var stale in _sessions.Where(s => now - s.Value.Started > MaxLifetime).Select(s => s.Key))
        {
            _sessions.TryRemove(stale, out _);
        }

        response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
            MaxAge = MaxLifetime,
        });
    }

    public void EndSession(HttpRequest request, HttpResponse response)
    {
        if (request.Cookies.TryGetValue(CookieName, out var id) && id is not null)
        {
            _sessions.TryRemove(id, out _);
        }

        response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
    }

    public bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header
        && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && IsToken(header["Bearer ".Length..]);

    private sealed record Session(DateTimeOffset Started, DateTimeOffset LastSeen);
}
