using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LogisticsSync.ServiceDefaults.Problems;

/// <summary>
/// The last word on an exception no endpoint caught. A bad request that surfaced as an exception
/// (<see cref="BadHttpRequestException"/>: an unreadable body, a parameter that does not bind) is the
/// client's 4xx; anything else is our 500, logged in full here and answered with a problem that names
/// only the trace id, never the exception: its message and stack are for operators, not for partners.
/// </summary>
internal sealed partial class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: >= 400 and < 500 } bad => (bad.StatusCode, "Bad request", bad.Message),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred", "The error was logged; quote the traceId when you report it."),
        };
        if (status >= 500)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        return await problems.TryWriteAsync(context);
    }

    [LoggerMessage(EventId = LogEventIds.UnhandledExceptionHandlerUnhandled, Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
