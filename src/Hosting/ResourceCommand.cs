namespace LogisticsSync.Hosting;

public enum ResourceCommand
{
    Start,
    Stop,
    Restart,
    /// <summary>SIGKILL to every process of the resource, for chaos runs: the engine restarts it.</summary>
    Kill,
}
