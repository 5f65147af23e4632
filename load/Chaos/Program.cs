using LogisticsSync.Load.Chaos;
using LogisticsSync.Load.Chaos.Estate;
using LogisticsSync.Load.Chaos.Scenarios;

// The go-live chaos runner: traffic and a fault timeline against the estate, invariants, a report (docs/chaos.md).
ChaosSettings? settings;
ChaosScenario scenario;
try
{
    settings = ChaosSettings.Parse(args);
    if (settings is null)
    {
        Console.WriteLine(ChaosSettings.Usage);
        return 0;
    }

    scenario = ScenarioFile.Load(settings.ScenarioPath);
}
catch (FormatException exception)
{
    await Console.Error.WriteLineAsync($"{ChaosSettings.Usage}{Environment.NewLine}error: {exception.Message}");
    return 2;
}
catch (ScenarioFileException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}");
    return 2;
}

Console.WriteLine(ChaosRun.Describe(scenario));
if (settings.Command == "validate")
{
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // end the fault windows, check and report what happened, stop a booted estate
    cancel.Cancel();
};

try
{
    return await ChaosRun.RunAsync(scenario, settings, Console.WriteLine, cancel.Token);
}
catch (ChaosTargetException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}");
    return 3;
}
