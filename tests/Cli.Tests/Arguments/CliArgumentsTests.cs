using LogisticsSync.Cli.Arguments;
using LogisticsSync.Cli.Verbs;

namespace LogisticsSync.Cli.Tests.Arguments;

public sealed class CliArgumentsTests
{
    [Fact]
    public void Parse_VerbOperandsAndOptions_SeparatesThem()
    {
        var args = CliArguments.Parse(["logs", "orchestrator", "-f", "--replica", "1", "--tail=50", "--state", "/tmp/x"]);

        Assert.Equal("logs", args.Verb);
        Assert.Equal(["orchestrator"], args.Operands);
        Assert.True(args.Has("f"));
        Assert.Equal(1, args.Int("replica"));
        Assert.Equal(50, args.Int("tail"));
        Assert.Equal("/tmp/x", args.StateFolder);
    }

    [Fact]
    public void Parse_NoArguments_IsHelp()
    {
        var args = CliArguments.Parse([]);

        Assert.True(args.Help);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, ".estate"), args.StateFolder);
    }

    [Fact]
    public void Parse_OptionWithoutValue_IsUsageError() =>
        Assert.Throws<UsageException>(() => CliArguments.Parse(["logs", "redis", "--replica"]));

    [Fact]
    public void Int_NotANumber_IsUsageError() =>
        Assert.Throws<UsageException>(() => CliArguments.Parse(["env", "redis", "--replica", "two"]).Int("replica"));

    [Theory]
    [InlineData("latencyMs=250", "latencyMs", "250")]
    [InlineData("outage=true", "outage", "true")]
    [InlineData("errorRate=0.25", "errorRate", "0.25")]
    [InlineData("mode=slow", "mode", "\"slow\"")]
    public void ParseKnob_Value_TypedAsJson(string assignment, string knob, string json)
    {
        var (name, value) = FaultsVerb.ParseKnob(assignment);

        Assert.Equal(knob, name);
        Assert.Equal(json, value!.ToJsonString());
    }

    [Fact]
    public void ParseKnob_NoEquals_IsUsageError() => Assert.Throws<UsageException>(() => FaultsVerb.ParseKnob("outage"));

    [Fact]
    public async Task Run_UnknownVerb_Exit2WithOverview()
    {
        var error = new StringWriter();

        var code = await VerbDispatcher.RunAsync(["frobnicate"], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("'frobnicate' is not a verb", error.ToString());
        Assert.Contains("estate status", error.ToString());
    }

    [Fact]
    public async Task Run_LogsWithoutResource_Exit2WithItsHelpEvenWithoutEstate()
    {
        var error = new StringWriter();

        var code = await VerbDispatcher.RunAsync(["logs", "--state", "/nonexistent"], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("estate logs <resource>", error.ToString());
    }

    [Fact]
    public async Task Run_Publish_Exit2NotAvailable()
    {
        var error = new StringWriter();

        var code = await VerbDispatcher.RunAsync(["publish"], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("not available yet", error.ToString());
    }

    [Theory]
    [InlineData("status")]
    [InlineData("logs")]
    [InlineData("faults")]
    [InlineData("kill")]
    [InlineData("shipment")]
    public async Task Run_VerbHelp_PrintsItsUsage(string verb)
    {
        var output = new StringWriter();

        var code = await VerbDispatcher.RunAsync([verb, "--help"], output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains($"{(verb == "kill" ? "start|stop|restart|kill" : verb)}", output.ToString());
    }

    [Fact]
    public async Task Run_NoStateFolder_Exit3WithRunHint()
    {
        var error = new StringWriter();
        var missing = Path.Combine(Path.GetTempPath(), $"no-estate-{Guid.NewGuid():N}");

        var code = await VerbDispatcher.RunAsync(["status", "--state", missing], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(3, code);
        Assert.Contains("./run.sh", error.ToString());
    }

    [Fact]
    public async Task Run_StaleControlFile_Exit3()
    {
        var folder = Directory.CreateTempSubdirectory("cli-stale-");
        try
        {
            // A port nothing listens on: the estate that wrote this file is gone.
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "control.json"), $$"""{"url":"http://127.0.0.1:{{port}}/","token":"t"}""");
            var error = new StringWriter();

            var code = await VerbDispatcher.RunAsync(["status", "--state", folder.FullName], TextWriter.Null, error, CancellationToken.None);

            Assert.Equal(3, code);
            Assert.Contains("stale", error.ToString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_MalformedControlFile_Exit3NamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("cli-malformed-");
        try
        {
            var file = Path.Combine(folder.FullName, "control.json");
            await File.WriteAllTextAsync(file, """{"url":"http://127.0.0.1:1/",""");
            var error = new StringWriter();

            var code = await VerbDispatcher.RunAsync(["status", "--state", folder.FullName], TextWriter.Null, error, CancellationToken.None);

            Assert.Equal(3, code);
            Assert.Contains($"{file} is not a control file", error.ToString());
            Assert.Contains("./run.sh", error.ToString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
