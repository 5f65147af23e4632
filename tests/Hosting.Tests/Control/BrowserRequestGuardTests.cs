using LogisticsSync.Hosting.Control;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LogisticsSync.Hosting.Tests.Control;

public sealed class BrowserRequestGuardTests
{
    private const string Token = "the-token";
    private readonly ControlAccess _access = new(Token);

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "http://127.0.0.1:8080")]
    [InlineData("Origin", "null")]
    [InlineData(null, null)]
    public async Task InvokeAsync_SessionPostFromAnotherOrigin_RefusedWithoutRunning(string? header, string? value)
    {
        var context = Request("POST", cookie: true, header, value);

        var ran = await RunAsync(context);

        Assert.False(ran);
        Assert.Equal(StatusCodes.Status403Forbidden, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "http://127.0.0.1:18888")]
    public async Task InvokeAsync_SessionPostFromTheDashboard_Runs(string header, string value)
    {
        Assert.True(await RunAsync(Request("POST", cookie: true, header, value)));
    }

    [Fact]
    public async Task InvokeAsync_BearerTokenOrNoSessionOrRead_Runs()
    {
        var bearer = Request("POST", cookie: true, "Origin", "http://evil.example");
        bearer.Request.Headers.Authorization = $"Bearer {Token}";

        Assert.True(await RunAsync(bearer));
        Assert.True(await RunAsync(Request("POST", cookie: false, null, null)));
        Assert.True(await RunAsync(Request("GET", cookie: true, "Sec-Fetch-Site", "cross-site")));
    }

    [Fact]
    public async Task InvokeAsync_AnyAnswer_ForbidsFramingAndForeignContent()
    {
        var context = Request("GET", cookie: false, null, null);

        await RunAsync(context);

        Assert.Contains("frame-ancestors 'none'", context.Response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.Equal("DENY", context.Response.Headers.XFrameOptions.ToString());
        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
    }

    private async Task<bool> RunAsync(HttpContext context)
    {
        var ran = false;
        await BrowserRequestGuard.InvokeAsync(context, () => { ran = true; return Task.CompletedTask; }, _access);
        return ran;
    }

    private static DefaultHttpContext Request(string method, bool cookie, string? header, string? value)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
            Response = { Body = new MemoryStream() },
        };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1:18888");
        if (cookie)
        {
            context.Request.Headers.Cookie = $"{ControlAccess.CookieName}=some-session";
        }

        if (header is not null)
        {
            context.Request.Headers[header] = value;
        }

        return context;
    }
}
