using System.Text.Json;
using LogisticsSync.Load.Chaos.Monitoring;

namespace LogisticsSync.Load.Chaos.Tests.Monitoring;

public sealed class WorkQueuesTests
{
    [Fact]
    public void Depth_UnroutedSinkFull_NotCountedAsWorkWaiting()
    {
        // As the management API answers; a queue just declared has no "messages" yet.
        var queues = JsonSerializer.Deserialize<JsonElement>("""
            [
              {"name": "logistics.unrouted", "messages": 11972},
              {"name": "orchestrator.milestones", "messages": 7},
              {"name": "orchestrator.milestones.retry.5s", "messages": 2},
              {"name": "wms.released", "messages": 0},
              {"name": "just.declared"}
            ]
            """);

        Assert.Equal(9, WorkQueues.Depth(queues));
    }
}
