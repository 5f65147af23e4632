using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Tests.Runtime;

public sealed class ResourceLogsTests
{
    [Theory]
    [InlineData("\u001b[31mred\u001b[0m text", "red text")]
    [InlineData("title\u001b]0;pwned\u0007 after", "title after")]
    [InlineData("link \u001b]8;;http://x\u001b\\here\u001b]8;;\u001b\\", "link here")]
    [InlineData("bell\u0007 back\b space\r nul\u0000 c1\u009b2J", "bell back space nul c12J")]
    [InlineData("tab\tkept", "tab\tkept")]
    public void Append_TerminalControlSequences_Removed(string text, string expected)
    {
        var logs = new ResourceLogs();

        logs.Append("carrier", 0, text, isError: false);

        Assert.Equal(expected, Assert.Single(logs.Tail("carrier")).Text);
    }

    [Fact]
    public void Append_OversizedLine_TruncatedAndMarked()
    {
        var logs = new ResourceLogs(maxLineLength: 100);

        logs.Append("carrier", 0, new string('x', 250_000), isError: false);

        var line = Assert.Single(logs.Tail("carrier")).Text;
        Assert.StartsWith(new string('x', 100) + "… [line truncated: 250000 characters]", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_PastTheCharacterBudget_OldestLinesDropped()
    {
        var logs = new ResourceLogs(linesPerResource: 1_000, maxLineLength: 1_000, charactersPerResource: 5_000);

        for (var i = 0; i < 20; i++)
        {
            logs.Append("carrier", 0, $"{i:D3}" + new string('x', 997), isError: false);
        }

        var tail = logs.Tail("carrier");
        Assert.Equal(5, tail.Count);
        Assert.StartsWith("015", tail[0].Text, StringComparison.Ordinal);
    }
}
