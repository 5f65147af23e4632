using System.Text.Json.Nodes;
using LogisticsSync.Hosting.Testing;
using LogisticsSync.ServiceDefaults;

namespace LogisticsSync.Cli.Tests.Verbs;

public sealed class EstateVerbsTests(RunningEstateFixture estate) : IClassFixture<RunningEstateFixture>
{
    [Fact]
    public async Task Status_RunningEstate_TableOfHealthyResources()
    {
        var (code, output, _) = await estate.RunAsync("status");

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^redis\s+redis\s+Healthy\s+\d+", output);
        Assert.Matches(@"(?m)^wms\s+project\s+\w+\s+\d+\s+\d+\s+http://127\.0\.0\.1:\d+", output);
        Assert.DoesNotContain("gateway", output);
    }

    [Fact]
    public async Task StatusJson_RunningEstate_ParsesAsResourceArray()
    {
        var (code, output, _) = await estate.RunAsync("status", "--json");

        Assert.Equal(0, code);
        Assert.Contains(JsonNode.Parse(output)!.AsArray(), r => r!["name"]!.ToString() == ResourceNames.Wms);
    }

    [Fact]
    public async Task Logs_Simulator_PrintsItsConsoleLines()
    {
        var (code, output, _) = await estate.RunAsync("logs", ResourceNames.Redis, "--tail", "20");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 1, 20);
    }

    [Fact]
    public async Task Env_Simulator_ShowsRoleAndMasksSecrets()
    {
        var (code, output, _) = await estate.RunAsync("env", ResourceNames.Wms);

        Assert.Equal(0, code);
        Assert.Contains("Simulator__Role=wms", output);
        // The RabbitMQ connection string carries the generated password: the control API masks it.
        var rabbit = Assert.Single(output.Split('\n'), l => l.StartsWith($"ConnectionStrings__{ResourceNames.RabbitMQ}=", StringComparison.Ordinal));
        var password = await File.ReadAllTextAsync(Path.Combine(estate.StateFolder, "secrets.json"));
        foreach (var secret in JsonNode.Parse(password)!.AsObject().Select(p => p.Value!.ToString()).Where(s => s.Length >= 8))
        {
            Assert.DoesNotContain(secret, rabbit);
        }
    }

    [Fact]
    public async Task Kill_Redis_RestartVisibleInStatus()
    {
        var before = await RestartsAsync(ResourceNames.Redis);

        var (code, _, error) = await estate.RunAsync("kill", ResourceNames.Redis);

        Assert.True(code == 0, error);
        await Eventually.UntilAsync(async () =>
        {
            var (_, output, _) = await estate.RunAsync("status");
            return System.Text.RegularExpressions.Regex.IsMatch(output, $@"(?m)^redis\s+redis\s+Healthy\s+\d+\s+{before + 1}\s");
        }, TimeSpan.FromSeconds(30), "redis restarted and healthy again, one more restart in the table");
    }

    [Fact]
    public async Task Faults_SetGetReset_ChangesTheSimulatorsProfile()
    {
        var (setCode, _, setError) = await estate.RunAsync("faults", ResourceNames.Wms, "set", "latencyMs=150", "shortPickRate=0.2");
        var (_, got, _) = await estate.RunAsync("faults", ResourceNames.Wms, "get", "--json");
        var (resetCode, _, _) = await estate.RunAsync("faults", ResourceNames.Wms, "reset");
        var (_, afterReset, _) = await estate.RunAsync("faults", ResourceNames.Wms, "--json");

        Assert.True(setCode == 0, setError);
        Assert.Equal(150, JsonNode.Parse(got)!["latencyMs"]!.GetValue<int>());
        Assert.Equal(0.2, JsonNode.Parse(got)!["shortPickRate"]!.GetValue<double>());
        Assert.Equal(0, resetCode);
        Assert.Equal(0, JsonNode.Parse(afterReset)!["latencyMs"]!.GetValue<int>());
    }

    [Fact]
    public async Task Faults_BadKnob_ShowsTheSimulatorsProblem()
    {
        var (code, _, error) = await estate.RunAsync("faults", ResourceNames.Wms, "set", "shortPickRate=7");

        Assert.Equal(2, code);
        Assert.Contains("400", error);
        Assert.Contains("ShortPickRate", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Logs_UnknownResource_Exit2ListingTheResources()
    {
        var (code, _, error) = await estate.RunAsync("logs", "nosuch");

        Assert.Equal(2, code);
        Assert.Contains("nosuch", error);
        Assert.Contains(ResourceNames.Wms, error);
        Assert.Contains(ResourceNames.Redis, error);
    }

    private async Task<int> RestartsAsync(string name)
    {
        var (_, output, _) = await estate.RunAsync("status", "--json");
        return JsonNode.Parse(output)!.AsArray().Single(r => r!["name"]!.ToString() == name)!["restarts"]!.GetValue<int>();
    }
}
