using System.Diagnostics;
using LogisticsSync.Cli.Arguments;
using LogisticsSync.Cli.Estate;

namespace LogisticsSync.Cli.Verbs;

/// <summary>Runs one command line and maps every failure to its exit code and a message on stderr.</summary>
public static class VerbDispatcher
{
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        CliArguments? args = null;
        try
        {
            // The tools' own options are theirs to parse: everything after the verb goes to them untouched.
            if (argv.Count > 0 && argv[0] is "load" or "chaos" && !argv.Skip(1).Any(a => a is "--help" or "-h"))
            {
                return await PassThroughAsync(argv[0], argv.Skip(1), cancellationToken);
            }

            args = CliArguments.Parse(argv);
            if (args.Help)
            {
                output.WriteLine(args.Verb == "help" ? Help.Overview : Help.For(args.Verb));
                return 0;
            }

            return await RunVerbAsync(args, output, cancellationToken);
        }
        catch (UsageException exception)
        {
            error.WriteLine($"estate: {exception.Message}\n\n{(args is null ? Help.Overview : Help.For(args.Verb))}");
            return EstateException.Usage;
        }
        catch (EstateException exception)
        {
            error.WriteLine($"estate: {exception.Message}");
            return exception.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }

    private static async Task<int> RunVerbAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        switch (args.Verb)
        {
            case "publish":
                throw new EstateException(EstateException.Usage, "'publish' is not available yet.");
            case var verb when !Help.IsVerb(verb):
                throw new UsageException($"'{verb}' is not a verb.");
        }

        // A usage error is one whether or not an estate runs: check the operands before looking for it.
        if (args.Verb is "logs" or "env" or "start" or "stop" or "restart" or "kill" or "shipment" && args.Operands.Count != 1
            || args.Verb == "faults" && args.Operands.Count == 0 || args.Verb == "keys" && args.Operands.Count > 1)
        {
            throw new UsageException($"'{args.Verb}' takes {args.Verb switch { "shipment" => "one business key", "faults" => "a simulator name", "keys" => "at most one parameter name", _ => "one resource name" }}.");
        }

        using var estate = EstateClient.Open(args.StateFolder);
        var resources = new ResourceVerbs(estate, args, output);
        return args.Verb switch
        {
            "status" => await resources.StatusAsync(cancellationToken),
            "urls" => await resources.UrlsAsync(cancellationToken),
            "logs" => await resources.LogsAsync(cancellationToken),
            "env" => await resources.EnvAsync(cancellationToken),
            "open" => resources.Open(),
            "start" or "stop" or "restart" or "kill" => await resources.CommandAsync(args.Verb, cancellationToken),
            "faults" => await new FaultsVerb(estate, args, output).RunAsync(cancellationToken),
            "shipment" => await new ShipmentVerb(estate, args, output).RunAsync(cancellationToken),
            "keys" => await resources.KeysAsync(cancellationToken),
            _ => throw new UsageException($"'{args.Verb}' is not a verb."),
        };
    }

    /// <summary>The load and chaos tools are their own programs: run them with the rest of the command line, from the repo root.</summary>
    private static async Task<int> PassThroughAsync(string verb, IEnumerable<string> rest, CancellationToken cancellationToken)
    {
        var project = verb == "load" ? "load/Scenarios/Scenarios.csproj" : "load/Chaos/Chaos.csproj";
        var root = Environment.GetEnvironmentVariable("ESTATE_ROOT") ?? Environment.CurrentDirectory;
        if (!File.Exists(Path.Combine(root, project)))
        {
            throw new EstateException(EstateException.Usage, $"'{verb}' needs {project}, which this checkout does not have yet.");
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false };
        foreach (var word in new[] { "run", "-c", "Release", "--project", project, "--" }.Concat(rest))
        {
            start.ArgumentList.Add(word);
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }
}
