using System.Collections.Concurrent;
using System.Diagnostics;

namespace LogisticsSync.Hosting.Processes;

/// <summary>
/// Starts every child process from one dedicated, never-ending thread. Children are started with a
/// parent-death signal (<c>setpriv --pdeathsig</c>) so that a <c>kill -9</c> of the AppHost takes them
/// down too; Linux fires that signal when the *thread* that forked the child exits, so forking from
/// thread-pool threads (which retire when idle) would kill healthy children at random.
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Result)> Requests = [];

    static ProcessSpawner()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "estate-process-spawner" };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo info)
    {
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, result));
        return result.Task;
    }

    private static void Run()
    {
        foreach (var (info, result) in Requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = info, EnableRaisingEvents = true };
                process.Start();
                result.SetResult(process);
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }
    }
}
