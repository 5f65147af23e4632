using LogisticsSync.Hosting.Runtime;

namespace LogisticsSync.Hosting.Tests.Runtime;

public sealed class PrivateFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("private-file-tests-");

    [Fact]
    public void Write_ALinkPlantedAtThePath_ReplacesTheLinkAndLeavesItsTargetAlone()
    {
        var victim = Path.Combine(_folder.FullName, "victim");
        File.WriteAllText(victim, "untouched");
        var path = Path.Combine(_folder.FullName, "initdb.pw");
        File.CreateSymbolicLink(path, victim);

        PrivateFile.Write(path, "secret");

        Assert.Equal("untouched", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("secret", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(2, _folder.GetFiles().Length);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
