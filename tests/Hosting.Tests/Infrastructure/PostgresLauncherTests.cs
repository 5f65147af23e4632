using LogisticsSync.Hosting.Infrastructure;

namespace LogisticsSync.Hosting.Tests.Infrastructure;

public sealed class PostgresLauncherTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("postgres-launcher-tests-");

    [Fact]
    public void WipeFallbackData_APointerRewrittenToAnotherFolder_DeletesNothingElse()
    {
        var victim = Directory.CreateDirectory(Path.Combine(_folder.FullName, "victim"));
        File.WriteAllText(Path.Combine(victim.FullName, "keep"), "data");
        var state = Directory.CreateDirectory(Path.Combine(_folder.FullName, "state"));
        Directory.CreateDirectory(Path.Combine(state.FullName, "postgres"));
        File.WriteAllText(Path.Combine(state.FullName, "postgres", "DATA_IS_ELSEWHERE"), victim.FullName);

        PostgresLauncher.WipeFallbackData(state.FullName, "postgres");

        Assert.True(File.Exists(Path.Combine(victim.FullName, "keep")));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
