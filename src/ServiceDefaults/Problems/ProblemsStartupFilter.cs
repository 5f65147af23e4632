using LogisticsSync.ServiceDefaults.Input;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace LogisticsSync.ServiceDefaults.Problems;

/// <summary>
/// Puts the error and input rules in front of every service's own pipeline, so no Program.cs can forget
/// them or order them wrongly: exceptions become problems (<see cref="UnhandledExceptionHandler"/>), an
/// empty 4xx/5xx (404 for an unknown path, 405, a parameter that did not bind) gets a problem body, and
/// paths and query strings are checked by <see cref="InputRulesMiddleware"/> before routing.
/// </summary>
internal sealed class ProblemsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<InputRulesMiddleware>();
        next(app);
    };
}
