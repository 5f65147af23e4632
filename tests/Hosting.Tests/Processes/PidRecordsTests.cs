using LogisticsSync.Hosting.Processes;

namespace LogisticsSync.Hosting.Tests.Processes;

public sealed class PidRecordsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pid-records-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task StopLeftoversAsync_RecordedProcessStillRunning_IsStoppedAndRecordRemoved()
    {
        var records = new PidRecords(_directory);
        var leftover = await ChildProcess.StartAsync(new ProcessSpec("sleep", ["300"]), (_, _) => { });
        records.Record("leftover-0", leftover);

        var stopped = await records.StopLeftoversAsync();

        Assert.Single(stopped);
        Assert.False(ProcessTable.IsAlive(leftover.Pid));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task StopLeftoversAsync_PidReusedByAnotherProcess_LeavesItAlone()
    {
        var records = new PidRecords(_directory);
        var unrelated = await ChildProcess.StartAsync(new ProcessSpec("sleep", ["300"]), (_, _) => { });
        Directory.CreateDirectory(_directory);
        // Same pid, different start time: what a reused pid looks like.
        await File.WriteAllTextAsync(Path.Combine(_directory, "old-0.pid"), $"{unrelated.Pid} 1\n");

        var stopped = await records.StopLeftoversAsync();

        Assert.Empty(stopped);
        Assert.True(ProcessTable.IsAlive(unrelated.Pid));
        await unrelated.KillAsync();
    }

    [Fact]
    public async Task StopAsync_ProcessTree_StopsChildrenToo()
    {
        var shell = await ChildProcess.StartAsync(new ProcessSpec("sh", ["-c", "sleep 300 & sleep 301; wait"]), (_, _) => { });
        await WaitUntilAsync(() => ProcessTable.Descendants(shell.Pid).Count >= 2);
        var children = ProcessTable.Descendants(shell.Pid);

        await shell.StopAsync();

        Assert.All(children, pid => Assert.False(ProcessTable.IsAlive(pid)));
    }

    [Fact]
    public void Parse_CommandWithSpacesAndParentheses_ReadsTheFieldsAfterIt()
    {
        var entry = ProcessTable.Parse(42, "42 (my (odd) cmd) S 7 42 42 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0");

        Assert.Equal(new ProcessTable.Entry(42, 7, 'S', 12345, "my (odd) cmd"), entry);
    }

    [Fact]
    public void Read_ThisProcess_IsAliveWithAStartTime()
    {
        var self = ProcessTable.Read(Environment.ProcessId);

        Assert.NotNull(self);
        Assert.True(self.StartTime > 0);
        Assert.True(ProcessTable.IsAlive(Environment.ProcessId));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(20);
        }
    }
}
