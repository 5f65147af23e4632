using LogisticsSync.Hosting.Control;
using System.Net;
using LogisticsSync.Dashboard.Login;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LogisticsSync.Dashboard.Tests.Login;

public sealed class LoginEndpointsTests : IAsyncLifetime
{
    private const string Token = "the-token";
    private LoopbackWebApp _app = null!;

    private Uri Url => _app.Url;

    public async Task InitializeAsync()
    {
        var access = new ControlAccess(Token);
        _app = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapDashboardLogin(access);
            app.MapGet("/api/secret", (HttpRequest request) => access.IsAuthorized(request) ? Results.Ok("yes") : Results.Unauthorized());
        });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/traces?correlation=SO-1", "/traces?correlation=SO-1")]
    [InlineData("//evil.example/steal", "/resources")]
    [InlineData("https://evil.example/", "/resources")]
    [InlineData("/\\evil.example", "/resources")]
    [InlineData("/\t/evil.example", "/resources")]
    [InlineData("/\n/evil.example", "/resources")]
    [InlineData("/ /evil.example", "/resources")]
    public async Task LoginLink_RightToken_SessionCookieAndRedirectOnlyToALocalPath(string returnUrl, string expectedLocation)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Url };

        using var response = await client.GetAsync($"/login?t={Token}&returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expectedLocation, response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/secret");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var withCookie = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
    }

    [Fact]
    public async Task Login_WrongTokenOrForgedCookie_Refused()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Url };

        using var wrong = await client.PostAsync("/login", new FormUrlEncodedContent([new("token", "guess")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/secret");
        forged.Headers.Add("Cookie", $"{ControlAccess.CookieName}=made-up");
        using var refused = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/secret");
        bearer.Headers.Authorization = new("Bearer", Token);
        using var accepted = await client.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }
}
