using System.Globalization;

namespace LogisticsSync.Load.MilestoneThroughput;

internal sealed record BenchmarkSettings(int Shipments, int WarmUpShipments, int Replicas, int PgbenchSeconds, int PgbenchClients, IReadOnlyDictionary<string, string> OrchestratorEnvironment)
{
    private const string Usage =
        "usage: MilestoneThroughput [--shipments N] [--warm-up-shipments N] [--replicas N] [--pgbench-seconds N] [--pgbench-clients N] [--orchestrator-env NAME=VALUE]…";

    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, int> { ["shipments"] = 2000, ["warm-up-shipments"] = 1000, ["replicas"] = 2, ["pgbench-seconds"] = 10, ["pgbench-clients"] = 4 };
        var environment = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i].TrimStart('-');
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (name == "orchestrator-env" && value?.Split('=', 2) is [{ Length: > 0 } variable, var setting])
            {
                environment[variable] = setting;
            }
            else if (values.ContainsKey(name) && int.TryParse(value, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                values[name] = number;
            }
            else
            {
                Console.Error.WriteLine($"{Usage}{Environment.NewLine}error: cannot use '{args[i]} {value}'");
                Environment.Exit(2);
            }
        }

        return new BenchmarkSettings(values["shipments"], values["warm-up-shipments"], values["replicas"], values["pgbench-seconds"], values["pgbench-clients"], environment);
    }
}
