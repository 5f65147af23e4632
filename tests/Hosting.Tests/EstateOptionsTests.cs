using LogisticsSync.Hosting;

namespace LogisticsSync.Hosting.Tests;

public sealed class EstateOptionsTests
{
    [Fact]
    public void Parse_NoArguments_UsesRepositoryStateFolderAndDefaultDashboardPort()
    {
        var options = EstateOptions.Parse([]);

        Assert.Equal(Path.Combine(EstateOptions.RepositoryRoot, ".estate"), options.StateDirectory);
        Assert.Equal(EstateOptions.DefaultDashboardPort, options.DashboardPort);
        Assert.False(options.Fresh);
        Assert.True(File.Exists(Path.Combine(EstateOptions.RepositoryRoot, "LogisticsSync.sln")));
    }

    [Fact]
    public void Parse_StateFreshPortOnlyAndParameters_AreRead()
    {
        var options = EstateOptions.Parse(["--state", "/tmp/x", "--fresh", "--verbose", "--dashboard-port", "0", "--only", "redis, postgres", "--orchestrator-replicas", "3"]);

        Assert.Equal("/tmp/x", options.StateDirectory);
        Assert.True(options.Fresh);
        Assert.True(options.Verbose);
        Assert.Equal(0, options.DashboardPort);
        Assert.Equal(["redis", "postgres"], options.Only);
        Assert.Equal(3, options.GetParameter("orchestrator-replicas", 2));
        Assert.Equal(5080, options.GetParameter("gateway-port", 5080));
    }

    [Theory]
    [InlineData("--dashboard-port", "70000", "not a port number")]
    [InlineData("--dashboard-port", "abc", "not a port number")]
    [InlineData("--state", null, "needs a value")]
    [InlineData("stray", null, "Unexpected argument 'stray'")]
    public void Parse_BadInput_ThrowsUsageErrorNamingTheProblem(string option, string? value, string expected)
    {
        string[] args = value is null ? [option] : [option, value];

        var error = Assert.Throws<EstateUsageException>(() => EstateOptions.Parse(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetParameter_NotParsable_ThrowsUsageError()
    {
        var options = EstateOptions.Parse(["--orchestrator-replicas", "many"]);

        var error = Assert.Throws<EstateUsageException>(() => options.GetParameter("orchestrator-replicas", 2));

        Assert.Contains("--orchestrator-replicas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowOnUnknownParameters_ParameterTheModelNeverRead_IsReported()
    {
        var options = EstateOptions.Parse(["--orchestrator-replicas", "2", "--typo-replicas", "3"]);
        options.GetParameter("orchestrator-replicas", 1);

        var error = Assert.Throws<EstateUsageException>(options.ThrowOnUnknownParameters);

        Assert.Contains("--typo-replicas", error.Message, StringComparison.Ordinal);
    }
}
