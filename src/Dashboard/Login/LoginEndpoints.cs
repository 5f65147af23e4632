using System.Net;
using LogisticsSync.Dashboard.Pages;
using LogisticsSync.Hosting.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LogisticsSync.Dashboard.Login;

/// <summary><c>/login</c> (form, or the one-click link with <c>?t=</c> printed on the console) and <c>/logout</c>.</summary>
internal static class LoginEndpoints
{
    public static IEndpointRouteBuilder MapDashboardLogin(this IEndpointRouteBuilder endpoints, ControlAccess access)
    {
        endpoints.MapGet("/login", (HttpContext context, string? t, string? returnUrl) =>
        {
            if (t is null)
            {
                return LoginPage(returnUrl, error: null, StatusCodes.Status200OK);
            }

            return access.IsToken(t) ? SignIn(context, access, returnUrl) : LoginPage(returnUrl, "That token is not this estate's.", StatusCodes.Status401Unauthorized);
        });
        endpoints.MapPost("/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var returnUrl = form["returnUrl"].ToString();
            return access.IsToken(form["token"].ToString().Trim())
                ? SignIn(context, access, returnUrl)
                : LoginPage(returnUrl, "That token is not this estate's.", StatusCodes.Status401Unauthorized);
        }).DisableAntiforgery();
        endpoints.MapPost("/logout", (HttpContext context) =>
        {
            access.EndSession(context.Request, context.Response);
            return Results.Redirect("/login", permanent: false);
        });
        return endpoints;
    }

    private static IResult SignIn(HttpContext context, ControlAccess access, string? returnUrl)
    {
        access.StartSession(context.Response);
        var target = IsLocalPath(returnUrl) ? returnUrl : "/resources";
        return Results.Redirect(target, permanent: false, preserveMethod: false);
    }

    /// <summary>
    /// Only a path of this site: never an open redirect. Browsers drop tabs and newlines from a URL and read a
    /// backslash as a slash, so <c>/\t/evil</c> or <c>/\\evil</c> would become <c>//evil</c>, another host.
    /// </summary>
    internal static bool IsLocalPath([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/'
        && !returnUrl.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
        && !returnUrl.StartsWith("//", StringComparison.Ordinal);

    private static IResult LoginPage(string? returnUrl, string? error, int statusCode) =>
        Results.Content(PageLayout.Render("Log in", "login", $"""
            <section class="login">
              <h1>Log in to the estate dashboard</h1>
              <p>The token is printed on the AppHost's console at start (and is in <code>control.json</code> in the state folder).</p>
              {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}
              <form method="post" action="/login">
                <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "")}">
                <label>Token <input name="token" type="password" autocomplete="off" autofocus required></label>
                <button type="submit">Log in</button>
              </form>
            </section>
            """, showNavigation: false), "text/html; charset=utf-8", statusCode: statusCode);
}
