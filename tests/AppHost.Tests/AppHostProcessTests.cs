using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using LogisticsSync.Hosting;
using LogisticsSync.Hosting.Control;
using LogisticsSync.Hosting.Processes;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.AppHost.Tests;

/// <summary>The AppHost as users run it: a process of its own, with its command line.</summary>
public sealed class AppHostProcessTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("logistics-apphost-").FullName;

    [Fact]
    public async Task KillNine_OfTheAppHost_TakesItsChildrenDown()
    {
        using var appHost = StartAppHost("--state", _state, "--only", ResourceNames.Redis, "--dashboard-port", "0");
        try
        {
            var redis = await WaitForHealthyAsync(ResourceNames.Redis);
            var pid = redis.GetProperty("replicas")[0].GetProperty("pid").GetInt32();
            Assert.True(ProcessTable.IsAlive(pid));

            appHost.Kill();

            Assert.True(await ChildProcess.WaitForTreeExitAsync([pid], TimeSpan.FromSeconds(10)), "redis outlived a kill -9 of its AppHost");
        }
        finally
        {
            appHost.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Sigterm_OfTheAppHost_StopsEverythingAndExitsCleanly()
    {
        using var appHost = StartAppHost("--state", _state, "--only", ResourceNames.Redis, "--dashboard-port", "0");
        var redis = await WaitForHealthyAsync(ResourceNames.Redis);
        var pid = redis.GetProperty("replicas")[0].GetProperty("pid").GetInt32();

        Posix.Signal(appHost.Id, Posix.SigTerm);

        Assert.True(appHost.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, appHost.ExitCode);
        Assert.False(ProcessTable.IsAlive(pid));
        Assert.Empty(Directory.GetFiles(Path.Combine(_state, "pids")));
    }

    [Fact]
    public void UnknownOption_ExitsWithUsageAndCode2()
    {
        using var appHost = StartAppHost("--state", _state, "--no-such-option", "1");

        Assert.True(appHost.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, appHost.ExitCode);
        Assert.Contains("--no-such-option", appHost.StandardError.ReadToEnd(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private static Process StartAppHost(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(EstateOptions.AppHostDirectory, "bin", new EstateOptions().BuildConfiguration, "net10.0", "AppHost.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        // Drain stdout so a chatty AppHost never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private async Task<JsonElement> WaitForHealthyAsync(string resource)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{resource} did not become healthy within 60 s");
            try
            {
                if (await ControlFile.ReadAsync(_state, CancellationToken.None) is { } control)
                {
                    using var client = control.CreateClient();
                    var snapshot = await client.GetFromJsonAsync<JsonElement>($"/api/resources/{resource}");
                    if (snapshot.GetProperty("state").GetString() == "Healthy")
                    {
                        return snapshot;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or ControlFileException)
            {
                // Not listening yet, or the file is being written.
            }

            await Task.Delay(100);
        }
    }
}
