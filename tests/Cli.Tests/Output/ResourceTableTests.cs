using System.Text.Json.Nodes;
using LogisticsSync.Cli.Output;

namespace LogisticsSync.Cli.Tests.Output;

public sealed class ResourceTableTests
{
    [Fact]
    public void Render_ReplicatedResource_OneRowPerReplicaAlignedColumns()
    {
        var resources = JsonNode.Parse("""
            [
              {"name":"redis","type":"redis","state":"Healthy","restarts":2,"endpoints":{"tcp":"tcp://127.0.0.1:1"},
               "replicas":[{"replica":0,"state":"Healthy","pid":11,"restarts":2,"endpoints":{}}]},
              {"name":"orchestrator","type":"project","state":"Healthy","restarts":0,"endpoints":{},
               "replicas":[{"replica":0,"state":"Healthy","pid":21,"restarts":0,"endpoints":{"http":"http://127.0.0.1:2"}},
                           {"replica":1,"state":"Stopped","pid":null,"restarts":1,"endpoints":{"http":"http://127.0.0.1:3"}}]},
              {"name":"logistics","type":"postgres-database","state":"Healthy","restarts":0,"endpoints":{},"replicas":[]}
            ]
            """)!.AsArray();

        var lines = ResourceTable.Render(resources).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(5, lines.Length);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Matches(@"^redis\s+redis\s+Healthy\s+11\s+2\s+tcp://127\.0\.0\.1:1$", lines[1]);
        Assert.Matches(@"^orchestrator-1\s+project\s+Stopped\s+-\s+1\s+http://127\.0\.0\.1:3$", lines[3]);
        Assert.Matches(@"^logistics\s+postgres-database\s+Healthy\s+-\s+0\s+-$", lines[4]);
        var stateColumn = lines[0].IndexOf("STATE", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.NotEqual(' ', line[stateColumn]));
    }
}
