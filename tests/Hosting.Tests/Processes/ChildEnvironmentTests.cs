using LogisticsSync.Hosting.Processes;

namespace LogisticsSync.Hosting.Tests.Processes;

public sealed class ChildEnvironmentTests
{
    [Fact]
    public async Task Child_InheritsOnlyWhatAnyProgramNeeds_PlusWhatItIsGiven()
    {
        Environment.SetEnvironmentVariable("LOGISTICS_TEST_CI_TOKEN", "secret-of-the-shell");
        Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT_TEST", "Development");
        try
        {
            var lines = new List<string>();
            var child = await ChildProcess.StartAsync(new ProcessSpec("env", []) { Environment = { ["Given__Setting"] = "on" } }, (line, _) =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            });
            await child.WaitForExitAsync();
            var names = lines.Select(line => line.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);

            Assert.Contains("Given__Setting=on", lines);
            Assert.Contains("PATH", names);
            Assert.DoesNotContain("LOGISTICS_TEST_CI_TOKEN", names);
            Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT_TEST", names);
            Assert.All(names, name => Assert.True(ChildEnvironment.IsInherited(name) || name == "Given__Setting", $"{name} leaked into the child"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("LOGISTICS_TEST_CI_TOKEN", null);
            Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT_TEST", null);
        }
    }

    [Theory]
    [InlineData("PATH", true)]
    [InlineData("LC_ALL", true)]
    [InlineData("DOTNET_ROOT", true)]
    [InlineData("ConnectionStrings__logistics", false)]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", false)]
    [InlineData("GITHUB_TOKEN", false)]
    [InlineData("AWS_SECRET_ACCESS_KEY", false)]
    public void IsInherited_AllowList(string name, bool inherited) => Assert.Equal(inherited, ChildEnvironment.IsInherited(name));
}
