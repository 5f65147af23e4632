using LogisticsSync.LoadRunner.Baselines;

namespace LogisticsSync.LoadRunner.Tests.Baselines;

public sealed class ToolOutputTests
{
    private const string WrkOutput = """
        Running 10s test @ http://127.0.0.1:36713/api/v1/shipments/01a208c3
          1 threads and 5 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     3.85ms    2.10ms  45.20ms   95.12%
            Req/Sec   101.23     12.40   150.00     80.00%
          Latency Distribution
             50%    3.38ms
             75%    3.98ms
             90%    5.36ms
             99%   12.43ms
          1001 requests in 10.01s, 1.52MB read
          Non-2xx or 3xx responses: 3
        Requests/sec:    100.00
        Transfer/sec:    155.53KB
        """;

    [Fact]
    public void WrkParse_LatencyDistributionOutput_FiguresInMilliseconds()
    {
        var figures = Wrk.Parse(WrkOutput);

        Assert.Equal(new Wrk.Figures(100.00, 1001, 3, 3.85, 3.38, 3.98, 5.36, 12.43, 45.20), figures);
    }

    [Fact]
    public void WrkParse_MicrosecondsAndSeconds_Converted()
    {
        var figures = Wrk.Parse(WrkOutput.Replace("3.38ms", "880.00us", StringComparison.Ordinal).Replace("45.20ms", "1.20s", StringComparison.Ordinal));

        Assert.Equal(0.88, figures.P50Ms, 9);
        Assert.Equal(1200, figures.MaxMs, 9);
    }

    [Fact]
    public void WrkPacingScript_OneScheduleAtTheInterval() =>
        Assert.Contains("local interval = 2.5", Wrk.PacingScript(2.5), StringComparison.Ordinal);

    [Theory]
    [InlineData("127.0.0.1:34641,password=s3cret", "127.0.0.1", 34641, "s3cret")]
    [InlineData("localhost", "localhost", 6379, null)]
    [InlineData("127.0.0.1:7000,abortConnect=false", "127.0.0.1", 7000, null)]
    public void RedisParseConnectionString_StackExchangeFormat_HostPortPassword(string connectionString, string host, int port, string? password) =>
        Assert.Equal((host, port, password), RedisBenchmark.ParseConnectionString(connectionString));
}
