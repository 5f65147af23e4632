using Microsoft.AspNetCore.Http;

namespace LogisticsSync.ServiceDefaults.Input;

/// <summary>
/// Refuses a request whose path (hence its route values) or query string breaks <see cref="InputRules"/>
/// with a 400 problem before any endpoint runs, so no endpoint has to remember the check.
/// </summary>
internal sealed class InputRulesMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (Violation(context.Request) is not { } violation)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status400BadRequest, Title = "Invalid characters in the request", Detail = violation },
        });
    }

    private static string? Violation(HttpRequest request)
    {
        // PathString holds the decoded path: %00 arrives here as a real NUL.
        if (InputRules.Violation(request.Path.Value, allowLineBreaks: false) is { } inPath)
        {
            return $"The path {inPath}.";
        }

        foreach (var (name, values) in request.Query)
        {
            if (InputRules.Violation(name, allowLineBreaks: false) is { } inName)
            {
                return $"A query parameter name {inName}.";
            }

            foreach (var value in values)
            {
                if (InputRules.Violation(value, allowLineBreaks: false) is { } inValue)
                {
                    return $"The query parameter '{Printable(name)}' {inValue}.";
                }
            }
        }

        return null;
    }

    private static string Printable(string name) => new([.. name.Take(64).Where(c => !char.IsControl(c) && !char.IsSurrogate(c))]);
}
