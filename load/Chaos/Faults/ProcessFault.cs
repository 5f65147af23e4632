using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Scenarios;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>
/// SIGKILL (the engine restarts the process after its back-off), graceful stop (started again when the window
/// closes) or restart of a server, service or replica, through the engine's control API commands.
/// </summary>
internal sealed class ProcessFault(ControlApiClient control, FaultStep step) : IFaultAction
{
    public string? Measured => null;

    public Task StartAsync(CancellationToken cancellationToken) =>
        control.CommandAsync(step.Target, step.Kind switch { FaultKind.Kill => "kill", FaultKind.Stop => "stop", _ => "restart" }, step.Replica, cancellationToken);

    public Task EndAsync(CancellationToken cancellationToken) =>
        step.Kind == FaultKind.Stop ? control.CommandAsync(step.Target, "start", step.Replica, cancellationToken) : Task.CompletedTask;
}
