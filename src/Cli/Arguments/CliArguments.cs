namespace LogisticsSync.Cli.Arguments;

/// <summary>A parsed command line: the verb, its positional operands and its options (flags have the value "true").</summary>
public sealed record CliArguments(string Verb, IReadOnlyList<string> Operands, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Options that take no value; every other <c>--name</c> takes the next word (or <c>--name=value</c>).</summary>
    private static readonly HashSet<string> Flags = ["json", "watch", "help", "f", "follow"];

    public string StateFolder => Options.GetValueOrDefault("state") ?? Path.Combine(Environment.CurrentDirectory, ".estate");

    public bool Json => Options.ContainsKey("json");

    public bool Help => Options.ContainsKey("help") || Verb == "help";

    public bool Has(string option) => Options.ContainsKey(option);

    /// <summary>An integer option, or null when absent; a malformed value is a usage error.</summary>
    public int? Int(string option) =>
        !Options.TryGetValue(option, out var text) ? null
        : int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new UsageException($"--{option} takes a non-negative whole number, not '{text}'.");

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var operands = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                operands.AddRange(args.Skip(i + 1));
                break;
            }

            if (!arg.StartsWith('-') || arg.Length == 1)
            {
                operands.Add(arg);
                continue;
            }

            var name = arg.TrimStart('-');
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                options[name[..equals]] = name[(equals + 1)..];
            }
            else if (name == "h" || Flags.Contains(name))
            {
                options[name == "h" ? "help" : name == "follow" ? "f" : name] = "true";
            }
            else if (i + 1 < args.Count)
            {
                options[name] = args[++i];
            }
            else
            {
                throw new UsageException($"--{name} needs a value.");
            }
        }

        return operands.Count == 0
            ? new CliArguments("help", [], options)
            : new CliArguments(operands[0], operands.Skip(1).ToList(), options);
    }
}
