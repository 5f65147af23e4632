using System.Globalization;
using System.Text;

namespace LogisticsSync.Hosting.Runtime;

/// <summary>The AppHost's console: every resource's output prefixed with its name, and the estate's own messages.</summary>
internal sealed class EstateConsole(bool echoResourceOutput)
{
    private static readonly string[] Colours = ["36", "32", "33", "35", "34", "96", "92", "93", "95", "94"];
    private readonly bool _ansi = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly Dictionary<string, string> _colourOf = [];
    private readonly Lock _writeLock = new();

    public void WriteResourceLine(ResourceLogLine line)
    {
        if (!echoResourceOutput)
        {
            return;
        }

        string colour;
        lock (_writeLock)
        {
            if (!_colourOf.TryGetValue(line.Resource, out colour!))
            {
                _colourOf[line.Resource] = colour = Colours[_colourOf.Count % Colours.Length];
            }
        }

        Write(_ansi ? $"\u001b[{colour}m[{line.Source}]\u001b[0m {line.Text}" : $"[{line.Source}] {line.Text}");
    }

    public void Info(string message) => Write(_ansi ? $"\u001b[1m[estate]\u001b[0m {message}" : $"[estate] {message}");

    public void Error(string message) => Write(_ansi ? $"\u001b[1;31m[estate]\u001b[0m {message}" : $"[estate] error: {message}");

    public void PrintResourceTable(IReadOnlyList<ResourceSnapshot> snapshots, string title) =>
        Write(FormatResourceTable(snapshots, title));

    internal static string FormatResourceTable(IReadOnlyList<ResourceSnapshot> snapshots, string title)
    {
        var rows = snapshots.SelectMany(s => s.Replicas.Select(r => new[]
        {
            s.Replicas.Count > 1 ? $"{s.Name}-{r.Replica}" : s.Name,
            s.Type,
            r.State.ToString(),
            r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.Restarts.ToString(CultureInfo.InvariantCulture),
            string.Join(" ", r.Endpoints.Values.DefaultIfEmpty("-")),
        })).Prepend(["NAME", "TYPE", "STATE", "PID", "RESTARTS", "URL"]).ToList();
        var widths = Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"[estate] {title}");
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        return text.ToString().TrimEnd();
    }

    private void Write(string text)
    {
        lock (_writeLock)
        {
            Console.Out.WriteLine(text);
        }
    }
}
