using System.Reflection;
using LogisticsSync.Hosting;

namespace LogisticsSync.Hosting.Testing;

/// <summary>
/// The analogue of Aspire.Hosting.Testing: runs the AppHost's own <c>Program</c> to collect its model,
/// then hands the builder over instead of running it, set up for a test: free ports only, a fresh
/// temporary state folder (deleted afterwards), no echo of resource output on the console.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static async Task<DistributedApplicationBuilder> CreateAsync<TEntryPoint>(params string[] args) where TEntryPoint : class
    {
        var entryPoint = typeof(TEntryPoint).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"{typeof(TEntryPoint).Assembly.GetName().Name} has no entry point.");
        var hook = new CapturingHook();
        DistributedApplication.TestingHook.Value = hook;
        try
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
            if (result is Task task)
            {
                await task;
            }
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        finally
        {
            DistributedApplication.TestingHook.Value = null;
        }

        return hook.Builder ?? throw new InvalidOperationException("The entry point did not build a DistributedApplication.");
    }

    private sealed class CapturingHook : ITestingHook
    {
        public DistributedApplicationBuilder? Builder { get; private set; }

        public EstateOptions CreateOptions(string[] args)
        {
            var options = EstateOptions.Parse(args);
            // mkdtemp: a private folder of a random name nobody else can have prepared (no shared, predictable parent).
            options.StateDirectory = Directory.CreateTempSubdirectory("logistics-estate-").FullName;
            options.Fresh = true;
            options.DashboardPort = 0;
            options.UseFreePortsOnly = true;
            options.EchoResourceOutput = false;
            options.DeleteStateOnDispose = true;
            options.StartTimeout = TimeSpan.FromMinutes(2);
            return options;
        }

        public void OnBuilt(DistributedApplicationBuilder builder) => Builder ??= builder;
    }
}

public static class DistributedApplicationTestingExtensions
{
    /// <summary>
    /// Streams every resource's output to <paramref name="writeLine"/> (a test's output helper) until
    /// disposed, so a failing test shows what the servers and services said.
    /// </summary>
    public static IDisposable StreamLogsTo(this DistributedApplication application, Action<string> writeLine)
    {
        void Write(Hosting.Runtime.ResourceLogLine line)
        {
            try
            {
                writeLine($"{line.Timestamp:HH:mm:ss.fff} [{line.Source}] {line.Text}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished: its output can no longer be written.
            }
        }

        application.Logs.LineReceived += Write;
        return new Unsubscribe(() => application.Logs.LineReceived -= Write);
    }

    /// <summary>
    /// A client for a resource as an outsider has it (a partner, another process on the machine): without the estate's
    /// service key that <see cref="DistributedApplication.CreateHttpClient"/> adds.
    /// </summary>
    public static HttpClient CreateKeylessHttpClient(this DistributedApplication application, string name, int replica = 0)
    {
        var client = application.CreateHttpClient(name, replica: replica);
        client.DefaultRequestHeaders.Remove(Hosting.Runtime.ServiceKeyConvention.HeaderName);
        return client;
    }

    /// <summary>Builds and starts the estate and waits until every resource is healthy.</summary>
    public static async Task<DistributedApplication> StartHealthyAsync(this DistributedApplicationBuilder builder, Action<string>? writeLine = null)
    {
        var application = builder.Build();
        var streaming = writeLine is null ? null : application.StreamLogsTo(writeLine);
        try
        {
            await application.StartAsync();
            await application.WaitForHealthyAsync();
            return application;
        }
        catch
        {
            await application.DisposeAsync();
            throw;
        }
        finally
        {
            streaming?.Dispose();
        }
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
