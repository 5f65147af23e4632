namespace LogisticsSync.Cli.Verbs;

/// <summary>The help of each verb, printed by <c>--help</c> and after a usage error.</summary>
public static class Help
{
    public const string Common = "Common options: --state <folder> (default ./.estate), --json (read verbs), --help.";

    private static readonly Dictionary<string, string> Verbs = new(StringComparer.Ordinal)
    {
        ["status"] = "estate status [--watch] [--json]\n  The resource table; --watch redraws it every 2 s until Ctrl+C.",
        ["urls"] = "estate urls [--json]\n  Every endpoint of every resource, and the dashboard.",
        ["logs"] = "estate logs <resource> [-f] [--replica i] [--tail n] [--json]\n  The resource's recent console lines (200 by default); -f keeps following.",
        ["env"] = "estate env <resource> [--replica i] [--json]\n  The command line and environment the engine started it with, secrets masked.",
        ["open"] = "estate open [--json]\n  Prints the dashboard's login link and opens it with xdg-open when there is one.",
        ["start"] = "estate start|stop|restart|kill <resource> [--replica i]\n  Runs the command through the control API and prints the resource's row.",
        ["faults"] = "estate faults <simulator> [get | set knob=value ... | reset] [--json]\n  Reads or changes the simulator's fault profile (its admin API).\n  set changes the named knobs and keeps the others; reset puts every knob back to off (all-zero defaults).",
        ["shipment"] = "estate shipment <business key> [--json]\n  The shipment's state, owner, timeline and open exceptions, through the gateway (operations key).",
        ["keys"] = "estate keys [name] [--json]\n  The partners' API keys, the carriers' webhook secrets and the simulators' admin key, generated per state folder;\n  with a name (e.g. portal-api-key), that value alone.",
        ["chaos"] = "estate chaos ...\n  Runs load/Chaos with the given arguments (and --state).",
        ["load"] = "estate load ...\n  Runs load/Scenarios with the given arguments.",
        ["publish"] = "estate publish\n  Not available yet.",
    };

    public static string For(string verb) => Verbs.TryGetValue(Alias(verb), out var text) ? $"{text}\n{Common}" : Overview;

    public static bool IsVerb(string verb) => Verbs.ContainsKey(Alias(verb));

    public static string Overview =>
        "usage: ./estate <verb> [arguments]\n\nverbs:\n" + string.Join('\n', Verbs.Values.Select(v => "  " + v.Split('\n')[0]))
        + "\n\n" + Common + "\nExit codes: 0 ok, 1 failed, 2 usage or unknown resource, 3 no running estate.";

    private static string Alias(string verb) => verb is "stop" or "restart" or "kill" ? "start" : verb;
}
