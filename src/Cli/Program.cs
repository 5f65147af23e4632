using LogisticsSync.Cli.Verbs;

// ./estate <verb>: the running estate from the command line (docs/cli.md).
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await VerbDispatcher.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
