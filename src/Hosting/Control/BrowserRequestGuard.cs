using Microsoft.AspNetCore.Http;

namespace LogisticsSync.Hosting.Control;

/// <summary>
/// What a browser needs to be told on the AppHost's port. Every page of any other port on 127.0.0.1 is the same
/// site as the dashboard, so SameSite=Strict still lets such a page post a form with the session cookie: a
/// state-changing request (POST, PUT, PATCH, DELETE) must prove it comes from the dashboard's own origin
/// (<c>Sec-Fetch-Site</c>, else <c>Origin</c>), or carry the bearer token, which no other page can add. Requests
/// without the cookie (OTLP exporters with their own key, a script's login) are not a browser's session and pass.
/// Every answer forbids framing and any script, style or connection from elsewhere.
/// </summary>
internal static class BrowserRequestGuard
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    public static async Task InvokeAsync(HttpContext context, Func<Task> next, ControlAccess access)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        if (IsStateChanging(context.Request) && CarriesSessionCookie(context.Request)
            && !access.HasBearerToken(context.Request) && !IsSameOrigin(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-origin request refused",
                detail: "State-changing requests with the dashboard's session must come from the dashboard's own pages.")
                .ExecuteAsync(context);
            return;
        }

        await next();
    }

    public static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite is "same-origin" or "none";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0
            && Uri.TryCreate(origin, UriKind.Absolute, out var originUri)
            && string.Equals(originUri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && originUri.Scheme == request.Scheme;
    }

    private static bool IsStateChanging(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    private static bool CarriesSessionCookie(HttpRequest request) => request.Cookies.ContainsKey(ControlAccess.CookieName);
}
