using LogisticsSync.Hosting.Control;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace LogisticsSync.Hosting.Tests.Control;

public sealed class ControlAccessTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-04T08:00:00Z"));

    [Fact]
    public void HasSession_UsedWithinTheIdleTimeout_StaysValidUntilTheMaxLifetime()
    {
        var access = new ControlAccess("token", _time);
        var cookie = Login(access);

        for (var elapsed = TimeSpan.Zero; elapsed < ControlAccess.MaxLifetime - TimeSpan.FromMinutes(30); elapsed += TimeSpan.FromMinutes(30))
        {
            _time.Advance(TimeSpan.FromMinutes(30));
            Assert.True(access.HasSession(RequestWith(cookie)));
        }

        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.False(access.HasSession(RequestWith(cookie)));
    }

    [Fact]
    public void HasSession_IdleLongerThanTheTimeout_Expired()
    {
        var access = new ControlAccess("token", _time);
        var cookie = Login(access);

        _time.Advance(ControlAccess.IdleTimeout + TimeSpan.FromSeconds(1));

        Assert.False(access.HasSession(RequestWith(cookie)));
        Assert.False(access.IsAuthorized(RequestWith(cookie)));
    }

    private static string Login(ControlAccess access)
    {
        var context = new DefaultHttpContext();
        access.StartSession(context.Response);
        var setCookie = context.Response.Headers.SetCookie.ToString();
        Assert.Contains("max-age", setCookie, StringComparison.OrdinalIgnoreCase);
        return setCookie.Split(';')[0];
    }

    private static HttpRequest RequestWith(string cookie)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = cookie;
        return context.Request;
    }
}
