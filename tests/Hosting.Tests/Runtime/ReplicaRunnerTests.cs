using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Tests.Runtime;

public sealed class ReplicaRunnerTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(50, 30)]
    public void RestartDelay_ConsecutiveCrashes_DoublesUpToThirtySeconds(int crashes, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ReplicaRunner.RestartDelay(crashes));

    [Theory]
    [InlineData(new[] { ResourceState.Healthy, ResourceState.Healthy }, ResourceState.Healthy)]
    [InlineData(new[] { ResourceState.Healthy, ResourceState.Restarting }, ResourceState.Restarting)]
    [InlineData(new[] { ResourceState.Running, ResourceState.Healthy }, ResourceState.Running)]
    [InlineData(new[] { ResourceState.Unhealthy, ResourceState.Exited }, ResourceState.Exited)]
    [InlineData(new[] { ResourceState.FailedToStart, ResourceState.Healthy }, ResourceState.FailedToStart)]
    public void Aggregate_Replicas_TakesTheWorstState(ResourceState[] replicas, ResourceState expected) =>
        Assert.Equal(expected, ProcessResourceRuntime.Aggregate(replicas));
}
