using System.Globalization;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Model;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.Load.Chaos.Scenarios;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Load.Chaos.Estate;

/// <summary>
/// Boots the whole estate for a run through the testing builder (free ports, a temporary state folder, stopped and
/// deleted afterwards): two orchestrator replicas (the scenario's), every simulator with the scenario's seed and time
/// scale, the ERP in an outage with the scenario's order count and rate, so that releases start with the timeline.
/// </summary>
public static class EstateBoot
{
    public static async Task<ChaosEstate> StartAsync(ChaosScenario scenario, string logPath, IReadOnlyList<string> engineArgs)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--orchestrator-replicas", scenario.Estate.Replicas.ToString(CultureInfo.InvariantCulture), .. engineArgs]);
        foreach (var role in ScenarioFile.Simulators)
        {
            Configure(builder, role, SimulatorEnvironment(scenario, role));
        }

        // Partner retries at rehearsal speed, as in the full-flow tests: a parked tender or invoice goes again within
        // seconds, so that settling is measured in seconds, not in production back-off minutes.
        Configure(builder, ResourceNames.Orchestrator, new Dictionary<string, string>
        {
            ["PartnerWork__RetryDelay"] = "00:00:00.500",
            ["PartnerWork__MaxRetryDelay"] = "00:00:02",
            ["PartnerWork__PostingDelayedAfter"] = "00:00:03",
            ["Partners__tms__BreakDuration"] = "00:00:02",
            ["Partners__erp__BreakDuration"] = "00:00:02",
            // Dwell limits compress with the simulators' clock (a 2 h limit at 20,000× is 0.36 s), floored at
            // Timers:MinimumRealLimit (30 s): the orchestrator's own recovery is not compressed. A shipment left stuck
            // by the timeline carries a ShipmentStuck exception well within the settle bound.
            ["Timers__TimeScale"] = scenario.Estate.TimeScale.ToString(CultureInfo.InvariantCulture),
        });
        var app = await builder.StartHealthyAsync();
        var log = File.CreateText(logPath);
        var logs = app.StreamLogsTo(line =>
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        });
        return ChaosEstate.Of(app, new Lifetime(app, logs, log));
    }

    internal static Dictionary<string, string> SimulatorEnvironment(ChaosScenario scenario, string role)
    {
        var variables = new Dictionary<string, string>
        {
            ["Simulator__Seed"] = scenario.Estate.Seed.ToString(CultureInfo.InvariantCulture),
            ["Simulator__TimeScale"] = scenario.Estate.TimeScale.ToString(CultureInfo.InvariantCulture),
        };
        if (role == ResourceNames.Erp)
        {
            variables["Simulator__Faults__Outage"] = "true";
            variables["Simulator__Erp__OrderCount"] = scenario.Traffic.Erp.Orders.ToString(CultureInfo.InvariantCulture);
            variables["Simulator__Erp__OrdersPerSecond"] = scenario.Traffic.Erp.OrdersPerSecond.ToString(CultureInfo.InvariantCulture);
            variables["Simulator__Erp__AttemptTimeout"] = "00:00:02";
        }

        return variables;
    }

    private static void Configure(DistributedApplicationBuilder builder, string resource, IReadOnlyDictionary<string, string> variables) =>
        builder.GetResource<ProjectResource>(resource).EnvironmentCallbacks.Add(context =>
        {
            foreach (var (name, value) in variables)
            {
                context.Variables[name] = value;
            }
        });

    private sealed class Lifetime(DistributedApplication app, IDisposable logs, StreamWriter log) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            logs.Dispose();
            await app.DisposeAsync();
            await log.DisposeAsync();
        }
    }
}
