using System.Net;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Scenarios;

namespace LogisticsSync.Load.Chaos.Faults;

/// <summary>
/// A network fault on one reference ("orchestrator->postgres"): the engine, started with <c>--chaos</c>, puts its TCP
/// fault proxy between the service and what it references, and this sets the proxy's behaviour for the window
/// through the control API (<c>PUT /api/chaos/links/{service}/{reference}</c>), clearing it after.
/// </summary>
internal sealed class NetworkFault(ControlApiClient control, FaultStep step) : IFaultAction
{
    public string? Measured => null;

    private string Path
    {
        get
        {
            var ends = step.Target.Split("->");
            return $"api/chaos/links/{Uri.EscapeDataString(ends[0])}/{Uri.EscapeDataString(ends[1])}";
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mode = FaultKinds.Name(step.Kind)["net-".Length..];
        using var response = await control.SendAsync(HttpMethod.Put, Path,
            new { mode, latencyMs = step.Settings.LatencyMs, jitterMs = step.Settings.JitterMs, bytesPerSecond = step.Settings.BytesPerSecond }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(
                $"{step.Target}: the estate has no fault proxy on that reference (start it with --chaos, or use --boot): {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        response.EnsureSuccessStatusCode();
    }

    public async Task EndAsync(CancellationToken cancellationToken)
    {
        using var response = await control.SendAsync(HttpMethod.Delete, Path, null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
